package main

import (
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
)

// isTerminal tells whether w is a terminal that a person watches. CI logs
// are not, even when a pseudo-terminal is attached.
func isTerminal(w io.Writer) bool {
	if os.Getenv("CI") != "" {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progress shows a bar on w for a long operation of total units (bytes
// when bytes is set; -1 for a spinner when the total is unknown), only
// when w is a terminal. The returned bar is nil otherwise; its methods
// accept a nil receiver, so callers need not check.
func progress(w io.Writer, total int64, desc string, bytes bool) *bar {
	if !isTerminal(w) {
		return nil
	}
	opts := []progressbar.Option{
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionThrottle(100 * time.Millisecond),
		progressbar.OptionShowElapsedTimeOnFinish(),
		progressbar.OptionOnCompletion(func() { _, _ = io.WriteString(w, "\n") }),
		progressbar.OptionClearOnFinish(),
	}
	if bytes {
		opts = append(opts, progressbar.OptionShowBytes(true))
	} else {
		opts = append(opts, progressbar.OptionShowCount())
	}
	if total < 0 {
		opts = append(opts, progressbar.OptionSpinnerType(14))
	}
	return &bar{progressbar.NewOptions64(total, opts...)}
}

// bar is a progress bar that may be absent (nil).
type bar struct{ pb *progressbar.ProgressBar }

// Add records n more units done.
func (b *bar) Add(n int64) {
	if b != nil {
		_ = b.pb.Add64(n)
	}
}

// Reader counts what r yields as progress.
func (b *bar) Reader(r io.Reader) io.Reader {
	if b == nil {
		return r
	}
	pr := progressbar.NewReader(r, b.pb)
	return &pr
}

// Finish ends the bar.
func (b *bar) Finish() {
	if b != nil {
		_ = b.pb.Finish()
	}
}

// spin shows a spinner on w while a task of unknown length runs, and
// stops it when the returned func is called.
func spin(w io.Writer, desc string) func() {
	b := progress(w, -1, desc, false)
	if b == nil {
		return func() {}
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				b.Finish()
				return
			case <-t.C:
				b.Add(1)
			}
		}
	}()
	return func() { close(stop); <-done }
}
