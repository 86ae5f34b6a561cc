package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/wfo-go/wfo/workflow"
)

// Problem is the reference's error body: {"detail", "status", "title"}.
type Problem struct {
	Detail string `json:"detail"`
	Status int    `json:"status"`
	Title  string `json:"title"`
}

func (p *Problem) Error() string  { return p.Detail }
func (p *Problem) GetStatus() int { return p.Status }

// problem returns a problem body; an empty detail is the reason phrase.
func problem(status int, detail string) *Problem {
	if detail == "" {
		detail = http.StatusText(status)
	}
	return &Problem{Detail: detail, Status: status, Title: http.StatusText(status)}
}

// RequestError is the body of a request that does not fit its route (422): FastAPI's {"detail": [...]}.
type RequestError struct {
	status int
	Detail []RequestErrorItem `json:"detail"`
}

// RequestErrorItem names one field of a request that is wrong: where (loc: "path", "query" or "body", then the
// name), what (msg) and the value given (input).
type RequestErrorItem struct {
	Type  string `json:"type"`
	Loc   []any  `json:"loc"`
	Msg   string `json:"msg"`
	Input any    `json:"input"`
}

func (e *RequestError) Error() string {
	parts := make([]string, len(e.Detail))
	for i, d := range e.Detail {
		parts[i] = fmt.Sprint(d.Loc) + ": " + d.Msg
	}
	return strings.Join(parts, "; ")
}

func (e *RequestError) GetStatus() int { return e.status }

// newError makes huma's errors (validation, body size, parsing) the reference's shapes: field errors of a request
// as FastAPI's list, everything else as a problem body.
func newError(status int, msg string, errs ...error) huma.StatusError {
	var items []RequestErrorItem
	for _, err := range errs {
		d, ok := err.(huma.ErrorDetailer)
		if !ok || d.ErrorDetail().Location == "" {
			continue
		}
		det := d.ErrorDetail()
		items = append(items, RequestErrorItem{Type: "value_error", Loc: location(det.Location), Msg: det.Message, Input: det.Value})
	}
	if len(items) > 0 {
		if status == http.StatusBadRequest {
			status = http.StatusUnprocessableEntity
		}
		return &RequestError{status: status, Detail: items}
	}
	if len(errs) > 0 && errs[0] != nil && status < 500 {
		msg = strings.TrimSuffix(msg, ".") + ": " + errs[0].Error()
	}
	return problem(status, msg)
}

// location splits huma's "body[0].name" into ["body", 0, "name"].
func location(s string) []any {
	var out []any
	for _, part := range strings.Split(strings.ReplaceAll(s, "[", "."), ".") {
		part = strings.TrimSuffix(part, "]")
		if part == "" {
			continue
		}
		if n, err := strconv.Atoi(part); err == nil {
			out = append(out, n)
			continue
		}
		out = append(out, part)
	}
	return out
}

// FormNotComplete is the answer to form input that stops before the last page (HTTP 510): the next page's schema.
type FormNotComplete struct {
	Type   string          `json:"type"`
	Detail string          `json:"detail"`
	Form   json.RawMessage `json:"form"`
	Title  string          `json:"title"`
	Status int             `json:"status"`
	Meta   any             `json:"meta"`
}

func (e *FormNotComplete) Error() string  { return "form not complete" }
func (e *FormNotComplete) GetStatus() int { return e.Status }

func formNotComplete(schema json.RawMessage) *FormNotComplete {
	return &FormNotComplete{Type: "FormNotCompleteError", Detail: string(schema), Form: schema, Title: "Form not complete", Status: 510}
}

// FormInvalid is the answer to form input that a page refuses (HTTP 400), in the reference's shape.
type FormInvalid struct {
	Type             string      `json:"type"`
	Detail           string      `json:"detail"`
	Title            string      `json:"title"`
	ValidationErrors []FormError `json:"validation_errors"`
	Status           int         `json:"status"`
}

// FormError is one refused field: loc names it (["__root__"] for the page as a whole).
type FormError struct {
	Type  string `json:"type"`
	Loc   []any  `json:"loc"`
	Msg   string `json:"msg"`
	Input any    `json:"input"`
}

func (e *FormInvalid) Error() string  { return e.Detail }
func (e *FormInvalid) GetStatus() int { return e.Status }

// formInvalid turns the field errors of a page into the 400 body; input is the page's input.
func formInvalid(fe workflow.FieldErrors, input map[string]any) *FormInvalid {
	out := &FormInvalid{Type: "FormValidationError", Title: "Form not valid", Status: http.StatusBadRequest}
	var b strings.Builder
	fmt.Fprintf(&b, "%d validation error", len(fe))
	if len(fe) != 1 {
		b.WriteString("s")
	}
	b.WriteString(" for form")
	for _, f := range fe {
		e := FormError{Type: "value_error", Loc: []any{f.Field}, Msg: f.Message}
		if f.Field == "" {
			e.Loc = []any{"__root__"}
			e.Input = input
		} else if v, ok := input[f.Field]; ok {
			e.Input = v
		} else {
			e.Input = input
		}
		if f.Message == "field required" {
			e.Type = "missing"
		}
		out.ValidationErrors = append(out.ValidationErrors, e)
		fmt.Fprintf(&b, "\n%s\n  %s (type=%s)", e.Loc[0], e.Msg, e.Type)
	}
	out.Detail = b.String()
	return out
}
