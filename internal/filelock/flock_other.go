//go:build !unix

package filelock

import (
	"os"
	"sync"
	"time"
)

// Without flock, a lock only excludes the other holders in this process.
var (
	heldMu sync.Mutex
	held   = map[string]bool{}
)

func lockFile(f *os.File, wait bool) (bool, error) {
	for {
		heldMu.Lock()
		if !held[f.Name()] {
			held[f.Name()] = true
			heldMu.Unlock()
			return true, nil
		}
		heldMu.Unlock()
		if !wait {
			return false, nil
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func unlockFile(f *os.File) {
	heldMu.Lock()
	defer heldMu.Unlock()
	delete(held, f.Name())
}
