package migration

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wfo-go/wfo/internal/filelock"
)

// journalName is the file in a version location that lists the files a write is putting in place. While it
// exists, those files are not part of the location: loading skips them, and once the writer is gone (its lock on
// the journal released, however it ended) the next load removes them. A write therefore adds all its files or,
// killed half-way, none.
const journalName = ".wfo-pending"

// crashAt, in tests, stops writeFiles at a stage as if the process had been killed there.
var crashAt func(stage string) bool

// writeFiles writes new files all or nothing. Each is written to a temporary file, and the temporary files are
// renamed into place under a journal in every directory written to; removing the journals commits the write.
func writeFiles(files map[string][]byte, order []string) (err error) {
	var dirs []string
	for _, path := range order {
		if _, err := os.Stat(path); err == nil {
			return fmt.Errorf("migration: %s already exists", path)
		}
		if d := filepath.Dir(path); !slices.Contains(dirs, d) {
			dirs = append(dirs, d)
		}
	}
	tmps := make([]string, len(order))
	for i, path := range order {
		tmps[i] = filepath.Join(filepath.Dir(path), ".wfo-"+NewID()+".tmp")
	}
	listed := append(slices.Clone(order), tmps...)
	var locks []*filelock.Lock
	var journals []string
	crashed := false
	defer func() {
		if !crashed && err != nil {
			removeAll(listed)
			removeAll(journals)
		}
		for _, l := range locks {
			l.Unlock()
		}
	}()
	for _, dir := range dirs {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("migration: %w", err)
		}
		if err := recoverLocation(dir); err != nil {
			return err
		}
		lock, journal, err := createJournal(dir, listed)
		if err != nil {
			return err
		}
		locks, journals = append(locks, lock), append(journals, journal)
	}
	for i, path := range order {
		// Created like any new file (0666 less the umask), not 0600 as a temporary file would be.
		f, err := os.OpenFile(tmps[i], os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
		if err != nil {
			return fmt.Errorf("migration: writing %s: %w", path, err)
		}
		_, werr := f.Write(files[path])
		if werr == nil {
			werr = f.Sync()
		}
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return fmt.Errorf("migration: writing %s: %w", path, werr)
		}
	}
	for i, path := range order {
		if crashAt != nil && crashAt(fmt.Sprintf("rename %d", i)) {
			crashed = true
			return errors.New("migration: crashed (test)")
		}
		if err := os.Rename(tmps[i], path); err != nil {
			return fmt.Errorf("migration: writing %s: %w", path, err)
		}
	}
	for _, dir := range dirs {
		syncDir(dir)
	}
	for i, j := range journals {
		if err := os.Remove(j); err != nil {
			return fmt.Errorf("migration: committing %s: %w", j, err)
		}
		journals[i] = ""
	}
	return nil
}

// createJournal writes the journal of a write into dir and locks it. The journal appears complete and locked at
// once (it is written under another name and linked into place), so a reader never takes a half-written one for
// the leftover of a dead writer.
func createJournal(dir string, listed []string) (*filelock.Lock, string, error) {
	journal := filepath.Join(dir, journalName)
	tmp := filepath.Join(dir, ".wfo-"+NewID()+".journal")
	lock, err := filelock.TryLock(tmp)
	if err != nil || lock == nil {
		return nil, "", fmt.Errorf("migration: locking a new journal in %s: %v", dir, err)
	}
	f := lock.File()
	_, err = f.WriteString(strings.Join(listed, "\n") + "\n")
	if err == nil {
		err = f.Sync()
	}
	if err == nil {
		err = os.Link(tmp, journal)
	}
	os.Remove(tmp)
	if err != nil {
		lock.Unlock()
		if errors.Is(err, fs.ErrExist) {
			return nil, "", errorf("Another process is writing revisions into %s; try again when it has finished", dir)
		}
		return nil, "", fmt.Errorf("migration: writing the journal in %s: %w", dir, err)
	}
	return lock, journal, nil
}

// recoverLocation finishes a write into dir whose writer died: it removes the files the write had put in place
// and the journal. A journal whose writer is alive is left alone.
func recoverLocation(dir string) error {
	journal := filepath.Join(dir, journalName)
	if _, err := os.Stat(journal); err != nil {
		return nil
	}
	lock, err := filelock.TryLock(journal)
	if err != nil {
		return fmt.Errorf("migration: %w", err)
	}
	if lock == nil {
		return nil
	}
	defer lock.Unlock()
	listed, err := readJournal(journal)
	if err != nil {
		return err
	}
	if _, err := os.Stat(journal); err != nil {
		return nil // committed or recovered meanwhile; the file locked may be an unlinked one
	}
	removeAll(listed)
	for _, l := range listed {
		syncDir(filepath.Dir(l))
	}
	if err := os.Remove(journal); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("migration: removing %s: %w", journal, err)
	}
	return nil
}

// pendingFiles returns the base names of the files in dir that a write still in progress (or dead, when it could
// not be recovered) is putting in place.
func pendingFiles(dir string) (map[string]bool, error) {
	listed, err := readJournal(filepath.Join(dir, journalName))
	if err != nil || len(listed) == 0 {
		return nil, err
	}
	out := make(map[string]bool, len(listed))
	for _, l := range listed {
		if filepath.Dir(l) == dir {
			out[filepath.Base(l)] = true
		}
	}
	return out, nil
}

func readJournal(journal string) ([]string, error) {
	b, err := os.ReadFile(journal)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("migration: %w", err)
	}
	var out []string
	for _, l := range bytes.Split(b, []byte("\n")) {
		if len(l) > 0 {
			out = append(out, string(l))
		}
	}
	return out, nil
}

func removeAll(paths []string) {
	for _, p := range paths {
		if p != "" {
			os.Remove(p)
		}
	}
}

// syncDir makes renames and removals in dir durable; where directories cannot be synced it does nothing.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
