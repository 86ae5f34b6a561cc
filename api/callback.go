package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/wfo-go/wfo/process"
)

type callbackInput struct {
	ProcessIDParam
	Token string         `path:"token" doc:"the token of the callback route the process published (state callback_route)"`
	Body  map[string]any `doc:"the external system's result, stored in the state under the step's result key (default callback_result)"`
}

type callbackProgressInput struct {
	ProcessIDParam
	Token string `path:"token" doc:"the token of the callback route the process published"`
	Body  any    `required:"true" doc:"progress to show while the process waits: a JSON string or object, stored under callback_progress"`
}

// nullOutput answers 200 with the JSON null, as the reference's callback routes do.
type nullOutput struct {
	Body json.RawMessage
}

func (s *Server) callbackRoutes() {
	tags := []string{"processes"}
	huma.Register(s.api, huma.Operation{OperationID: "process-callback", Method: http.MethodPost, Path: "/api/processes/{process_id}/callback/{token}",
		Summary: "Deliver the result a callback step awaits; the process continues", Tags: tags, MaxBodyBytes: s.cfg.MaxBodyBytes,
		Errors: []int{404, 409, 413, 422, 503}}, s.callback)
	huma.Register(s.api, huma.Operation{OperationID: "process-callback-progress", Method: http.MethodPost, Path: "/api/processes/{process_id}/callback/{token}/progress",
		Summary: "Report progress while a callback step waits", Tags: tags, MaxBodyBytes: s.cfg.MaxBodyBytes,
		Errors: []int{404, 409, 413, 422, 503}}, s.callbackProgress)
}

func (s *Server) callback(ctx context.Context, in *callbackInput) (*nullOutput, error) {
	if err := s.unlocked(ctx); err != nil {
		return nil, err
	}
	err := s.eng.Callback(acting(ctx, ""), in.ProcessID, in.Token, in.Body)
	if err != nil {
		return nil, s.callbackError(ctx, "callback", in.ProcessID, err)
	}
	return &nullOutput{Body: json.RawMessage("null")}, nil
}

func (s *Server) callbackProgress(ctx context.Context, in *callbackProgressInput) (*nullOutput, error) {
	if err := s.unlocked(ctx); err != nil {
		return nil, err
	}
	switch in.Body.(type) {
	case string, map[string]any:
	default:
		return nil, &RequestError{status: http.StatusUnprocessableEntity, Detail: []RequestErrorItem{{Type: "model_type", Loc: []any{"body"},
			Msg: "Input should be a JSON string or object", Input: in.Body}}}
	}
	if err := s.eng.CallbackProgress(ctx, in.ProcessID, in.Token, in.Body); err != nil {
		return nil, s.callbackError(ctx, "callback progress", in.ProcessID, err)
	}
	return &nullOutput{Body: json.RawMessage("null")}, nil
}

// callbackError maps the engine's errors to the reference's answers, checked in its order: no such process
// (404), not awaiting (409), wrong token (404).
func (s *Server) callbackError(ctx context.Context, op string, pid uuid.UUID, err error) error {
	switch {
	case errors.Is(err, process.ErrNotFound):
		return problem(http.StatusNotFound, fmt.Sprintf("Process with process_id %s not found", pid))
	case errors.Is(err, process.ErrNotAwaiting):
		return problem(http.StatusConflict, "This process is not in an awaiting state.")
	case errors.Is(err, process.ErrInvalidToken):
		return problem(http.StatusNotFound, "Invalid token")
	case errors.Is(err, process.ErrPaused):
		return problem(http.StatusServiceUnavailable, "Engine is locked cannot accept changes on processes at this time")
	}
	return s.internal(ctx, op, err)
}
