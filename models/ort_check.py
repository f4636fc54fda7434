#!/usr/bin/python3
"""Optional check of the exported model in the real ONNX Runtime (C API via ctypes), no pip needed.

  /usr/bin/python3 models/ort_check.py LIBONNXRUNTIME_SO [MODEL.onnx] [THREADS]

LIBONNXRUNTIME_SO: e.g. bin/worker/libonnxruntime.so, which the build copies from the NuGet package
Microsoft.ML.OnnxRuntime 1.32.0 (it still serves ORT API version 29, asked for here). Runs demo/selftest.json cases
and times batch 1 and 4. OrtApi slot numbers are those of onnxruntime_c_api.h (API 29).
"""
import os
import ctypes as C, numpy as np, sys, time
sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
lib=C.CDLL(sys.argv[1]); model=(sys.argv[2] if len(sys.argv)>2 else os.path.join(HERE,'demo','edgeai-demo.onnx')).encode()
lib.OrtGetApiBase.restype=C.c_void_p
base=C.cast(lib.OrtGetApiBase(),C.POINTER(C.c_void_p))
GetApi=C.CFUNCTYPE(C.c_void_p,C.c_uint32)(base[0]); GetVer=C.CFUNCTYPE(C.c_char_p)(base[1])
print('ORT',GetVer().decode())
api=C.cast(GetApi(29),C.POINTER(C.c_void_p))
P=C.c_void_p
def f(i,*args): return C.CFUNCTYPE(P,*args)(api[i])
errmsg=C.CFUNCTYPE(C.c_char_p,P)(api[2])
def ck(st):
    if st: raise RuntimeError(errmsg(st).decode())
env=P(); ck(f(3,C.c_int,C.c_char_p,C.POINTER(P))(2,b'x',C.byref(env)))
opts=P(); ck(f(10,C.POINTER(P))(C.byref(opts)))
threads=int(sys.argv[3]) if len(sys.argv)>3 else 2
ck(f(24,P,C.c_int)(opts,threads)); ck(f(23,P,C.c_int)(opts,99))
sess=P(); ck(f(7,P,C.c_char_p,P,C.POINTER(P))(env,model,opts,C.byref(sess)))
mi=P(); ck(f(69,C.c_int,C.c_int,C.POINTER(P))(0,0,C.byref(mi)))
create=f(49,P,P,C.c_size_t,C.POINTER(C.c_int64),C.c_size_t,C.c_int,C.POINTER(P))
run=f(9,P,P,C.POINTER(C.c_char_p),C.POINTER(P),C.c_size_t,C.POINTER(C.c_char_p),C.c_size_t,C.POINTER(P))
getdata=f(51,P,C.POINTER(P)); release=C.CFUNCTYPE(None,P)(api[96])
def infer(x):
    x=np.ascontiguousarray(x,np.float32); shp=(C.c_int64*4)(*x.shape)
    v=P(); ck(create(mi,x.ctypes.data,x.nbytes,shp,4,1,C.byref(v)))
    out=P(); ins=(C.c_char_p*1)(b'images'); outs=(C.c_char_p*1)(b'output0'); iv=(P*1)(v)
    ck(run(sess,None,ins,iv,1,outs,1,C.byref(out)))
    p=P(); ck(getdata(out,C.byref(p)))
    n=x.shape[0]*10*2100
    y=np.ctypeslib.as_array(C.cast(p,C.POINTER(C.c_float)),(n,)).reshape(x.shape[0],10,2100).copy()
    release(out); release(v); return y
import json, eval_detector as ev
st=json.load(open(os.path.join(HERE,'demo','selftest.json')))
for c in st['cases']:
    if c['input']['kind']=='constant': x=np.full((1,3,320,320),c['input']['value'],np.float32)
    elif c['input']['kind']=='formula': x=ev.pattern_input()
    else: x,_=ev.scene_input(7,0)
    y=infer(x)
    d=max(abs(float(y[0,s['row'],s['anchor']])-s['value']) for s in c['expect']['samples'])
    dets=ev._dets(y)
    same=[(a['cls'],a['score'],a['box']) for a in dets]==[(a['cls'],a['score'],a['box']) for a in c['expect']['detections']]
    ok=len(dets)==len(c['expect']['detections']) and all(a['cls']==b['cls'] and abs(a['score']-b['score'])<2e-3 and max(abs(p-q) for p,q in zip(a['box'],b['box']))<1 for a,b in zip(dets,c['expect']['detections']))
    print(c['name'],'max sample diff %.2e'%d,'detections',len(dets),'match' if ok else 'MISMATCH')
x,_=ev.scene_input(7,0)
for bs in (1,4):
    xb=np.repeat(x,bs,0)
    for _ in range(5): infer(xb)
    ts=[]
    for _ in range(30):
        t=time.perf_counter(); infer(xb); ts.append(time.perf_counter()-t)
    ts.sort(); print('threads',threads,'batch',bs,'median %.2f ms/img, p90 %.2f'%(ts[15]*1000/bs, ts[27]*1000/bs))
