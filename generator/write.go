package generator

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
)

// WriteOptions are the writer's rules.
type WriteOptions struct {
	// DryRun prints every file ("# <path>", the content, an empty line) to Out and writes nothing.
	DryRun bool
	// Force overwrites existing files; without it they are kept with a warning.
	Force bool
	// Out receives the dry run's output; Log the progress and warnings.
	Out io.Writer
	Log *slog.Logger
}

// Write applies files relative to dir. It stops at the first file it cannot write.
func Write(dir string, files []File, o WriteOptions) error {
	log := o.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		old, err := os.ReadFile(p)
		exists := err == nil
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("generator: %w", err)
		}
		if f.IfMissing && exists {
			continue
		}
		content := f.Content
		if f.Merge != nil {
			if !exists {
				old = nil
			}
			if content, err = f.Merge(old, o.Force); err != nil {
				return fmt.Errorf("generator: %s: %w", f.Path, err)
			}
		}
		if o.DryRun {
			log.Info("preview file", "path", f.Path, "force", o.Force, "dryrun", true)
			if _, err := fmt.Fprintf(o.Out, "# %s\n%s\n", f.Path, content); err != nil {
				return err
			}
			continue
		}
		if f.Merge != nil && exists && string(old) == string(content) {
			continue // nothing to add
		}
		if exists && !o.Force && f.Merge == nil {
			log.Warn("file already exists, rerun with --force if you want to overwrite", "path", f.Path)
			continue
		}
		if _, err := os.Stat(filepath.Dir(p)); errors.Is(err, fs.ErrNotExist) {
			log.Info("creating missing folder(s)", "path", filepath.ToSlash(filepath.Dir(f.Path)))
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("generator: %w", err)
		}
		if err := os.WriteFile(p, content, 0o644); err != nil {
			return fmt.Errorf("generator: %w", err)
		}
		log.Info("wrote file", "path", f.Path, "force", o.Force)
	}
	return nil
}
