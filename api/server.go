package api

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"github.com/google/uuid"

	"github.com/wfo-go/wfo/process"
	"github.com/wfo-go/wfo/subscription"
	"github.com/wfo-go/wfo/workflow"
)

// DefaultMaxBodyBytes is the largest request body a route reads unless Config says otherwise.
const DefaultMaxBodyBytes = 1 << 20

// Config configures a Server.
type Config struct {
	// Tokens are the bearer tokens every route but health requires. None means no authentication: for a server
	// listening on loopback only (see Loopback).
	Tokens []string
	// MaxBodyBytes limits request bodies (default DefaultMaxBodyBytes); a larger body is refused with 413.
	MaxBodyBytes int64
	// Logger logs failed requests (default slog.Default()).
	Logger *slog.Logger
	// DisableInsyncCheck lets set_in_sync mark a subscription in sync while a workflow's process on it has neither
	// completed nor been aborted (the reference's DISABLE_INSYNC_CHECK).
	DisableInsyncCheck bool
}

// Server is the HTTP API over a workflow engine.
type Server struct {
	eng     *process.Engine
	subs    *subscription.Store
	cfg     Config
	api     huma.API
	handler http.Handler

	// Work a request leaves running after its answer (resume-all), which Close waits for.
	mu       sync.Mutex
	closed   bool
	resuming bool
	bg       sync.WaitGroup
}

func init() {
	// huma's own errors (request validation, body size, malformed JSON) in the reference's shapes.
	huma.NewError = newError
}

// New returns the API server of the engine; subs reads subscriptions and products (any registry: the domain-model
// route needs the application's).
func New(eng *process.Engine, subs *subscription.Store, cfg Config) *Server {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s := &Server{eng: eng, subs: subs, cfg: cfg}
	mux := http.NewServeMux()
	hc := huma.DefaultConfig("wfo", "1.0.0")
	hc.Info.Description = "The Workflow Orchestrator's API, with routes shaped like orchestrator-core's."
	hc.OpenAPIPath = "/api/openapi"
	hc.DocsPath = "/api/docs"
	hc.SchemasPath = "/api/schemas"
	hc.CreateHooks = nil // no $schema links in bodies: they must be the reference's shapes
	if len(cfg.Tokens) > 0 {
		hc.Components.SecuritySchemes = map[string]*huma.SecurityScheme{"bearer": {Type: "http", Scheme: "bearer"}}
		hc.Security = []map[string][]string{{"bearer": {}}}
	}
	s.api = humago.New(mux, hc)
	s.routes()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, map[string]string{"detail": "Not Found"})
	})
	s.handler = s.authenticate(mux)
	return s
}

// Close waits for the work requests left running after their answers (the retries of a resume-all) and refuses
// more. Call it after the HTTP server has shut down and before the engine is closed.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.bg.Wait()
	return nil
}

// Handler returns the server's http.Handler.
func (s *Server) Handler() http.Handler { return s.handler }

// OpenAPI returns the OpenAPI document of the API.
func (s *Server) OpenAPI() *huma.OpenAPI { return s.api.OpenAPI() }

// authenticate requires a bearer token on every route but health when tokens are configured, compared in constant
// time, and limits request bodies.
func (s *Server) authenticate(next http.Handler) http.Handler {
	tokens := make([][]byte, len(s.cfg.Tokens))
	for i, t := range s.cfg.Tokens {
		tokens[i] = []byte(t)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
		if len(tokens) == 0 || r.URL.Path == "/api/health/" || r.URL.Path == "/api/health" {
			next.ServeHTTP(w, r)
			return
		}
		scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		if !strings.EqualFold(scheme, "bearer") || token == "" {
			writeJSON(w, http.StatusForbidden, map[string]string{"detail": "Not authenticated"})
			return
		}
		ok := 0
		for _, t := range tokens {
			ok |= subtle.ConstantTimeCompare([]byte(token), t)
		}
		if ok != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			writeJSON(w, http.StatusUnauthorized, map[string]string{"detail": "Invalid token"})
			return
		}
		next.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// internal logs an unexpected error and answers 500 without its text.
func (s *Server) internal(ctx context.Context, op string, err error) error {
	s.cfg.Logger.ErrorContext(ctx, "api: "+op, "error", err)
	return problem(http.StatusInternalServerError, "")
}

// acting is the user a request acts as: the reporter query parameter, else SYSTEM.
func acting(ctx context.Context, reporter string) context.Context {
	if reporter == "" {
		reporter = process.DefaultUser
	}
	return process.WithUser(ctx, reporter)
}

// --- routes ---

// ReporterParam is the acting user of a request that changes a process.
type ReporterParam struct {
	Reporter string `query:"reporter" maxLength:"100" doc:"the acting user (created_by, the state's reporter); SYSTEM by default"`
}

// ProcessIDParam names a process in a route's path.
type ProcessIDParam struct {
	ProcessID uuid.UUID `path:"process_id" doc:"the process id"`
}

type startInput struct {
	WorkflowKey string `path:"workflow_key" doc:"the workflow's name"`
	ReporterParam
	Body []map[string]any `doc:"the form's pages answered so far, one object per page; [] asks for the first page"`
}

type startOutput struct {
	Status int
	Body   struct {
		ID uuid.UUID `json:"id"`
	}
}

type resumeInput struct {
	ProcessIDParam
	ReporterParam
	Body any `required:"true" doc:"the pages of the waiting step's form: a list of objects, or one object; {} for a retry"`
}

type abortInput struct {
	ProcessIDParam
	ReporterParam
}

type processOutput struct {
	Body *Process
}

type listInput struct {
	Range  string `query:"range" doc:"start,end: the processes start <= i < end (Content-Range tells the total)"`
	Sort   string `query:"sort" doc:"field,asc|desc[,field,asc|desc...]"`
	Filter string `query:"filter" doc:"field,value[,field,value...]: last_status, workflow_name, subscription_id, is_task, note; a value may list alternatives separated by | (for note also -, matched without regard to case, a leading ! negating it)"`
}

type listOutput struct {
	ContentRange string `header:"Content-Range"`
	Body         []*Process
}

func (s *Server) routes() {
	tags := []string{"processes"}
	huma.Register(s.api, huma.Operation{OperationID: "health", Method: http.MethodGet, Path: "/api/health/", Summary: "Health: the database answers", Tags: []string{"health"}, Security: []map[string][]string{}},
		func(ctx context.Context, _ *struct{}) (*struct{ Body string }, error) {
			if _, err := s.subs.Products(ctx); err != nil {
				return nil, s.internal(ctx, "health", err)
			}
			return &struct{ Body string }{Body: "OK"}, nil
		})
	huma.Register(s.api, huma.Operation{OperationID: "start-process", Method: http.MethodPost, Path: "/api/processes/{workflow_key}", DefaultStatus: http.StatusCreated,
		Summary: "Start a workflow", Tags: tags, MaxBodyBytes: s.cfg.MaxBodyBytes,
		Errors: []int{400, 404, 412, 413, 422, 503, 510}}, s.start)
	huma.Register(s.api, huma.Operation{OperationID: "resume-process", Method: http.MethodPut, Path: "/api/processes/{process_id}/resume", DefaultStatus: http.StatusNoContent,
		Summary: "Resume a suspended process with input, or retry a failed one", Tags: tags, MaxBodyBytes: s.cfg.MaxBodyBytes,
		Errors: []int{400, 404, 409, 413, 422, 503, 510}}, s.resume)
	huma.Register(s.api, huma.Operation{OperationID: "abort-process", Method: http.MethodPut, Path: "/api/processes/{process_id}/abort", DefaultStatus: http.StatusNoContent,
		Summary: "Abort a process", Tags: tags, Errors: []int{404, 409, 422}}, s.abort)
	huma.Register(s.api, huma.Operation{OperationID: "get-process", Method: http.MethodGet, Path: "/api/processes/{process_id}",
		Summary: "A process with its steps, state and pending form", Tags: tags, Errors: []int{404, 422}}, s.get)
	huma.Register(s.api, huma.Operation{OperationID: "list-processes", Method: http.MethodGet, Path: "/api/processes/",
		Summary: "Processes: filter, sort, range", Tags: tags, Errors: []int{400, 422}}, s.list)
	s.catalogueRoutes()
	s.callbackRoutes()
	s.housekeepingRoutes()
	s.settingsRoutes()
	s.subscriptionRoutes()
	s.catalogueEditRoutes()
}

func (s *Server) start(ctx context.Context, in *startInput) (*startOutput, error) {
	if err := s.unlocked(ctx); err != nil {
		return nil, err
	}
	wf, err := s.eng.Registry().Get(in.WorkflowKey)
	if err != nil {
		return nil, problem(http.StatusNotFound, "Workflow does not exist")
	}
	pages := make([]any, len(in.Body))
	for i, p := range in.Body {
		pages[i] = p
	}
	if err := s.eng.MayStart(ctx, wf); err != nil {
		return nil, s.engineError(ctx, "start", err, in.Body)
	}
	if err := s.checkPages(ctx, wf, workflow.State{}, workflow.Pages(wf.InitialForm()), in.Body); err != nil {
		return nil, err
	}
	pid, err := s.eng.Start(acting(ctx, in.Reporter), wf.Name, pages...)
	if err != nil {
		return nil, s.engineError(ctx, "start", err, in.Body)
	}
	out := &startOutput{Status: http.StatusCreated}
	out.Body.ID = pid
	return out, nil
}

func (s *Server) resume(ctx context.Context, in *resumeInput) (*struct{}, error) {
	if err := s.unlocked(ctx); err != nil {
		return nil, err
	}
	pages, err := resumePages(in.Body)
	if err != nil {
		return nil, err
	}
	p, err := s.eng.Get(ctx, in.ProcessID)
	if errors.Is(err, process.ErrNotFound) {
		return nil, problem(http.StatusNotFound, fmt.Sprintf("Process with process_id %s not found", in.ProcessID))
	}
	if err != nil {
		return nil, s.internal(ctx, "resume", err)
	}
	if !resumable(p.Status) {
		return nil, problem(http.StatusConflict, fmt.Sprintf("Resuming a %s workflow is not possible", p.Status))
	}
	form, err := s.eng.NextForm(ctx, p.ID)
	if errors.Is(err, process.ErrRemoved) {
		return nil, problem(http.StatusConflict, "This workflow cannot be resumed because it has been removed")
	}
	if err != nil {
		return nil, s.internal(ctx, "resume", err)
	}
	wf, _ := s.eng.Registry().Get(p.Workflow)
	if err := s.checkPages(ctx, wf, p.State, workflow.Pages(form), pages); err != nil {
		return nil, err
	}
	args := make([]any, len(pages))
	for i, pg := range pages {
		args[i] = pg
	}
	if err := s.eng.Resume(acting(ctx, in.Reporter), p.ID, args...); err != nil {
		return nil, s.engineError(ctx, "resume", err, pages)
	}
	return nil, nil
}

// resumePages reads a resume body: a list of page objects or one object; empty ([] or {}) is one empty page.
func resumePages(body any) ([]map[string]any, error) {
	refuse := func(msg string) error {
		return &RequestError{status: http.StatusUnprocessableEntity, Detail: []RequestErrorItem{{Type: "model_type", Loc: []any{"body"}, Msg: msg, Input: body}}}
	}
	var pages []map[string]any
	switch b := body.(type) {
	case nil:
		return nil, refuse("Field required")
	case map[string]any:
		pages = []map[string]any{b}
	case []any:
		for _, p := range b {
			m, ok := p.(map[string]any)
			if !ok && p != nil {
				return nil, refuse("Input should be a list of objects (one per form page) or one object")
			}
			if m == nil {
				m = map[string]any{}
			}
			pages = append(pages, m)
		}
	default:
		return nil, refuse("Input should be a list of objects (one per form page) or one object")
	}
	if len(pages) == 0 {
		pages = []map[string]any{{}}
	}
	return pages, nil
}

func resumable(st process.Status) bool {
	for _, r := range process.Resumable {
		if r == st {
			return true
		}
	}
	return false
}

func (s *Server) abort(ctx context.Context, in *abortInput) (*struct{}, error) {
	err := s.eng.Abort(acting(ctx, in.Reporter), in.ProcessID)
	switch {
	case errors.Is(err, process.ErrNotFound):
		return nil, problem(http.StatusNotFound, fmt.Sprintf("Process with process_id %s not found", in.ProcessID))
	case errors.Is(err, process.ErrWrongStatus):
		// The reference leaves a completed process alone and answers 204.
		return nil, nil
	case err != nil:
		return nil, s.internal(ctx, "abort", err)
	}
	return nil, nil
}

func (s *Server) get(ctx context.Context, in *ProcessIDParam) (*processOutput, error) {
	p, err := s.eng.Get(ctx, in.ProcessID)
	if errors.Is(err, process.ErrNotFound) {
		return nil, problem(http.StatusNotFound, fmt.Sprintf("Process with process_id %s not found", in.ProcessID))
	}
	if err != nil {
		return nil, s.internal(ctx, "get process", err)
	}
	wf, _ := s.eng.Registry().Get(p.Workflow)
	var form json.RawMessage
	if p.Status == process.Suspended {
		if f, err := s.eng.NextForm(ctx, p.ID); err == nil {
			form, _ = PageSchema(workflow.Pages(f)[0])
		}
	}
	v, err := ProcessView(ctx, p, s.subs, wf, true, form)
	if err != nil {
		return nil, s.internal(ctx, "get process", err)
	}
	return &processOutput{Body: v}, nil
}

// unlocked refuses changes while the engine's global lock is set.
func (s *Server) unlocked(ctx context.Context) error {
	locked, err := s.eng.Locked(ctx)
	if err != nil {
		return s.internal(ctx, "engine status", err)
	}
	if locked {
		return problem(http.StatusServiceUnavailable, "Engine is locked cannot accept changes on processes at this time")
	}
	return nil
}

// checkPages runs the reference's page exchange: when pages remain unanswered, each page given is validated by
// its form (400 naming the fields at fault) and the next one's schema is the answer (510); more pages than the
// form has are refused (400). A complete input is left to the engine, which validates every page.
func (s *Server) checkPages(ctx context.Context, wf *workflow.Workflow, state workflow.State, forms []workflow.Form, pages []map[string]any) error {
	if len(pages) > len(forms) {
		return problem(http.StatusBadRequest, fmt.Sprintf("Did not process all user_inputs (%d remaining): the form has %d page(s)", len(pages)-len(forms), len(forms)))
	}
	if len(pages) == len(forms) {
		return nil
	}
	merged := workflow.State{}
	for i, f := range forms {
		if i >= len(pages) {
			schema, err := PageSchema(f)
			if err != nil {
				return s.internal(ctx, "form schema", err)
			}
			return formNotComplete(schema)
		}
		merged = merged.Merge(workflow.State(pages[i]))
		_, err := f.Validate(&workflow.FormContext{Context: ctx, DB: s.eng.DB(), State: state, Workflow: wf}, merged)
		var fe workflow.FieldErrors
		if errors.As(err, &fe) {
			return formInvalid(fe, pages[i])
		}
		if err != nil {
			return s.internal(ctx, "form", err)
		}
	}
	return nil
}

// engineError maps the engine's errors to answers.
func (s *Server) engineError(ctx context.Context, op string, err error, page []map[string]any) error {
	var fe workflow.FieldErrors
	switch {
	case errors.As(err, &fe):
		var input map[string]any
		if len(page) > 0 {
			input = page[len(page)-1]
		}
		return formInvalid(fe, input)
	case errors.Is(err, process.ErrNotInDatabase), errors.Is(err, process.ErrRemoved):
		return problem(http.StatusNotFound, "Workflow does not exist")
	case errors.Is(err, process.ErrAlreadyRunning), errors.Is(err, process.ErrWrongStatus):
		return problem(http.StatusConflict, err.Error())
	case errors.Is(err, process.ErrStartRefused):
		var refused *process.StartRefusedError
		errors.As(err, &refused)
		return problem(http.StatusPreconditionFailed, refused.Reason)
	case errors.Is(err, process.ErrPaused):
		return problem(http.StatusServiceUnavailable, "Engine is locked cannot accept changes on processes at this time")
	}
	return s.internal(ctx, op, err)
}
