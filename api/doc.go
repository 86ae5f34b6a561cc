// Package api is wfo's HTTP API: routes shaped like orchestrator-core's REST API (paths, methods, status codes and
// bodies), to start, follow, resume, retry and abort processes and to read subscriptions, workflows and products,
// with bearer-token authentication and an OpenAPI document. Server runs it over the workflow engine (package
// process); the shapes in this package are also what `wfo ... --json` prints.
package api
