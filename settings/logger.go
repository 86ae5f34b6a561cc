package settings

import (
	"io"
	"log/slog"
	"strings"
)

// Level is LOG_LEVEL as a slog level. The reference's names are accepted: DEBUG, INFO, WARNING (or WARN), ERROR and
// CRITICAL (or FATAL, both ERROR here); anything else is INFO.
func (s Settings) Level() slog.Level {
	switch strings.ToUpper(strings.TrimSpace(s.LogLevel)) {
	case "DEBUG":
		return slog.LevelDebug
	case "WARNING", "WARN":
		return slog.LevelWarn
	case "ERROR", "CRITICAL", "FATAL":
		return slog.LevelError
	}
	return slog.LevelInfo
}

// NewLogger returns the logger wfo's commands use: text on w at LOG_LEVEL.
func (s Settings) NewLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: s.Level()}))
}
