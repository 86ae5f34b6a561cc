//go:build !unix

package database

import (
	"os"
	"sync"
)

// Without flock, a file lock only keeps a second holder out of this process.
var (
	heldMu sync.Mutex
	held   = map[string]bool{}
)

func lockFile(f *os.File) (bool, error) {
	heldMu.Lock()
	defer heldMu.Unlock()
	if held[f.Name()] {
		return false, nil
	}
	held[f.Name()] = true
	return true, nil
}

func unlockFile(f *os.File) {
	heldMu.Lock()
	defer heldMu.Unlock()
	delete(held, f.Name())
}
