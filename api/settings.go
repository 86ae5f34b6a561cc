package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/wfo-go/wfo/process"
)

// EngineStatus is the engine's state as the reference's settings routes show it.
type EngineStatus struct {
	GlobalLock       bool   `json:"global_lock" doc:"processes stop before their next step and none start while set"`
	GlobalStatus     string `json:"global_status" enum:"RUNNING,PAUSING,PAUSED" doc:"PAUSING: locked while processes still run; PAUSED: locked and none runs"`
	RunningProcesses int    `json:"running_processes" doc:"processes running on any instance (under a live lease)"`
}

// EngineStatusOf is the API shape of the engine's status.
func EngineStatusOf(st process.EngineStatus) EngineStatus {
	return EngineStatus{GlobalLock: st.GlobalLock, GlobalStatus: st.String(), RunningProcesses: st.RunningProcesses}
}

// WorkerStatus is the engine's worker pool as the reference shows its executor.
type WorkerStatus struct {
	ExecutorType          string `json:"executor_type" enum:"threadpool,celery" doc:"always threadpool: wfo's workers are goroutines"`
	NumberOfWorkersOnline int    `json:"number_of_workers_online" doc:"MAX_WORKERS of this server"`
	NumberOfQueuedJobs    int    `json:"number_of_queued_jobs" doc:"processes handed to this server's workers and not yet picked up"`
	NumberOfRunningJobs   int    `json:"number_of_running_jobs" doc:"processes this server's workers are running"`
}

type engineStatusOutput struct {
	Body EngineStatus
}

type setEngineStatusInput struct {
	Body struct {
		GlobalLock bool `json:"global_lock" doc:"true pauses the engine, false releases it and continues the processes the pause stopped"`
	}
}

// settingsFailed is the reference's answer when the engine settings cannot be changed.
const settingsFailed = "Something went wrong while updating the database aborting, possible manual intervention required"

func (s *Server) settingsRoutes() {
	tags := []string{"settings"}
	huma.Register(s.api, huma.Operation{OperationID: "get-engine-status", Method: http.MethodGet, Path: "/api/settings/status",
		Summary: "The engine's global lock and running processes", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*engineStatusOutput, error) {
			st, err := s.eng.Status(ctx)
			if err != nil {
				return nil, s.internal(ctx, "engine status", err)
			}
			return &engineStatusOutput{Body: EngineStatusOf(st)}, nil
		})
	huma.Register(s.api, huma.Operation{OperationID: "set-engine-status", Method: http.MethodPut, Path: "/api/settings/status",
		Summary: "Pause or unpause the engine", Tags: tags, MaxBodyBytes: s.cfg.MaxBodyBytes,
		Description: "Pausing sets the global lock: running processes stop before their next step (and become resumed), none " +
			"starts or resumes. Unpausing releases it and continues the processes the pause stopped. Sending the current " +
			"value changes nothing.",
		Errors: []int{413, 422, 500}}, s.setEngineStatus)
	huma.Register(s.api, huma.Operation{OperationID: "get-worker-status", Method: http.MethodGet, Path: "/api/settings/worker-status",
		Summary: "This server's worker pool", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*struct{ Body WorkerStatus }, error) {
			ws := s.eng.WorkerStatus()
			return &struct{ Body WorkerStatus }{Body: WorkerStatus{ExecutorType: "threadpool", NumberOfWorkersOnline: ws.Workers,
				NumberOfQueuedJobs: ws.Queued, NumberOfRunningJobs: ws.Running}}, nil
		})
}

func (s *Server) setEngineStatus(ctx context.Context, in *setEngineStatusInput) (*engineStatusOutput, error) {
	st, err := s.eng.Status(ctx)
	if err != nil {
		return nil, s.internal(ctx, "engine status", err)
	}
	if st.GlobalLock != in.Body.GlobalLock {
		if in.Body.GlobalLock {
			err = s.eng.Pause(ctx)
		} else {
			err = s.eng.Unpause(process.WithUser(ctx, process.DefaultUser))
		}
		if err != nil {
			s.cfg.Logger.ErrorContext(ctx, "api: engine status", "error", err)
			return nil, problem(http.StatusInternalServerError, settingsFailed)
		}
		if st, err = s.eng.Status(ctx); err != nil {
			return nil, s.internal(ctx, "engine status", err)
		}
	}
	return &engineStatusOutput{Body: EngineStatusOf(st)}, nil
}
