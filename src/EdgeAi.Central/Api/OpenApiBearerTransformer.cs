using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace EdgeAi.Central.Api;

/// <summary>Names the document and declares the bearer-token scheme every /api/v1 route requires.</summary>
internal sealed class OpenApiBearerTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "EdgeAi Central API",
            Version = "v1",
            Description = "Incidents, cases, events, evidence and devices. Send 'Authorization: Bearer <EDGEAI_CENTRAL_API_TOKEN>' to /api/v1/*; "
                + "the platform callback is authenticated by its HMAC signature instead.",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "EDGEAI_CENTRAL_API_TOKEN",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] });
        return Task.CompletedTask;
    }
}
