package process

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
)

// MaxNote is the length, in characters, of processes.note (orchestrator-core 5.x, its revision be3163f7c49d).
const MaxNote = 5000

// ErrNoteTooLong: a process note longer than MaxNote characters.
var ErrNoteTooLong = errors.New("note too long")

// SetNote sets the note of a process, as the reference's note edit does: nil, an empty note or one of nothing but
// white space stores NULL; a note longer than MaxNote characters is refused (ErrNoteTooLong) and nothing changes.
// The process's status and last modification time stay as they are. ErrNotFound when there is no such process.
func (e *Engine) SetNote(ctx context.Context, pid uuid.UUID, note *string) error {
	var value any
	if note != nil {
		if n := utf8.RuneCountInString(*note); n > MaxNote {
			return fmt.Errorf("process: the note of %s has %d characters; processes.note holds at most %d: %w", pid, n, MaxNote, ErrNoteTooLong)
		}
		if strings.TrimSpace(*note) != "" {
			value = *note
		}
	}
	res, err := e.db.ExecContext(ctx, e.db.Dialect.Rebind("UPDATE processes SET note = ? WHERE pid = ?"), value, pid)
	if err != nil {
		return fmt.Errorf("process: setting the note of %s: %w", pid, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("process: setting the note of %s: %w", pid, err)
	}
	if n == 0 {
		return fmt.Errorf("process: %s: %w", pid, ErrNotFound)
	}
	return nil
}
