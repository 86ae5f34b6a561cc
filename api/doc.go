// Package api is wfo's HTTP API: routes shaped like orchestrator-core's REST API (paths, methods, status codes and
// bodies), to start, follow, resume, retry, abort, annotate and delete processes, retry every failed task, pause the
// engine, read subscriptions and the workflows offered on them, and read and edit the catalogue, with bearer-token
// authentication and an OpenAPI document. Server runs it over the workflow engine (package process); its Close
// waits for work a request left running (a resume-all's retries). The shapes in this package are also what
// `wfo ... --json` prints.
package api
