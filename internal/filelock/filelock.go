// Package filelock takes exclusive locks on files that the operating system releases when the holding process
// ends, however it ends (SIGKILL included): wfo's locks for an SQLite database, which has no advisory locks.
package filelock

import (
	"fmt"
	"os"
)

// Lock is a held lock; Unlock releases it and closes its file.
type Lock struct{ f *os.File }

// TryLock opens (creating it) and locks path without waiting; nil, nil when another process holds the lock.
func TryLock(path string) (*Lock, error) { return lock(path, false) }

// Wait opens (creating it) and locks path, waiting while another process holds the lock.
func Wait(path string) (*Lock, error) { return lock(path, true) }

func lock(path string, wait bool) (*Lock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("filelock: %w", err)
	}
	ok, err := lockFile(f, wait)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("filelock: locking %s: %w", path, err)
	}
	if !ok {
		f.Close()
		return nil, nil
	}
	return &Lock{f: f}, nil
}

// File is the locked file, for writing who holds it.
func (l *Lock) File() *os.File { return l.f }

// Unlock releases the lock.
func (l *Lock) Unlock() {
	unlockFile(l.f)
	l.f.Close()
}
