package tasks

import (
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/wfo-go/wfo/subscription"
	"github.com/wfo-go/wfo/workflow"
	"github.com/wfo-go/wfo/wrapper"
)

// noteForm asks the new note; without one, the note stays as it is (the reference's form is pre-filled with it).
type noteForm struct{}

func (noteForm) Validate(fc *workflow.FormContext, input workflow.State) (workflow.State, error) {
	in, err := workflow.Decode[struct {
		SubscriptionID uuid.UUID `json:"subscription_id"`
		Note           *string   `json:"note" validate:"max=5000"`
	}](fc, input)
	if err != nil {
		return nil, err
	}
	old, err := subscription.New(fc.DB, nil).Note(fc, in.SubscriptionID)
	if errors.Is(err, subscription.ErrNotFound) {
		return nil, workflow.FieldErrors{{Field: "subscription_id", Message: "Subscription not found"}}
	}
	if err != nil {
		return nil, fmt.Errorf("tasks: %w", err)
	}
	var oldNote any
	note := ""
	if old != nil {
		oldNote, note = *old, *old
	}
	if in.Note != nil {
		note = *in.Note
	}
	return workflow.State{"old_note": oldNote, "note": note}, nil
}

func modifyNote() *workflow.Workflow {
	store := workflow.NewStep("Store note", func(ctx *workflow.Context, in struct {
		SubscriptionID uuid.UUID `json:"subscription_id"`
		Note           string    `json:"note"`
	}) (map[string]any, error) {
		tx, err := ctx.Tx()
		if err != nil {
			return nil, err
		}
		// An empty note is stored as NULL, as the subscription store writes it.
		var note *string
		if strings.TrimSpace(in.Note) != "" {
			note = &in.Note
		}
		if err := subscription.New(ctx.DB, nil).WithTx(tx).SetNote(ctx, in.SubscriptionID, note); err != nil {
			return nil, fmt.Errorf("tasks: %w", err)
		}
		if note == nil {
			return map[string]any{"note": nil}, nil
		}
		return map[string]any{"note": *note}, nil
	})
	return &workflow.Workflow{
		Name: ModifyNote, Target: workflow.TargetModify, Description: "Modify Note",
		Form:  workflow.Forms(wrapper.SubscriptionForm(wrapper.UsableWhileOutOfSync()), noteForm{}),
		Steps: []workflow.Step{workflow.Init, wrapper.StoreProcessSubscription, store, workflow.Done},
	}
}
