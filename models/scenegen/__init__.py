"""Synthetic scene generator for the EdgeAi demo detector and test clips (deterministic by seed)."""
