//go:build unix

package migration

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// dirFS is os.DirFS with a lean ReadFile: plain open, read and close system calls, without the descriptor set-up
// of *os.File (fcntl, fstat, poller registration). Loading thousands of revision files is mostly system calls,
// and this halves them.
type dirFS struct {
	fs.FS
	dir string
}

func newDirFS(dir string) fs.FS { return dirFS{FS: os.DirFS(dir), dir: dir} }

// ReadFile reads a file of the directory.
func (d dirFS) ReadFile(name string) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "readfile", Path: name, Err: fs.ErrInvalid}
	}
	path := filepath.Join(d.dir, filepath.FromSlash(name))
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	for err == syscall.EINTR {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	}
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	buf := make([]byte, 0, 2048)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := syscall.Read(fd, buf[len(buf):cap(buf)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "read", Path: path, Err: err}
		}
		if n == 0 {
			return buf, nil
		}
		buf = buf[:len(buf)+n]
	}
}
