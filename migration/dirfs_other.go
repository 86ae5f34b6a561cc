//go:build !unix

package migration

import (
	"io/fs"
	"os"
)

func newDirFS(dir string) fs.FS { return os.DirFS(dir) }
