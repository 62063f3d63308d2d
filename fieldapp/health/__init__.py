"""Liveness for load balancers and the container HEALTHCHECK."""
