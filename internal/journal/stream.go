package journal

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// streamPoll is how often the stream looks for entries that other
// processes wrote; this process's own commits wake it at once.
const streamPoll = 500 * time.Millisecond

// streamHeartbeat keeps proxies and browsers from closing an idle stream.
const streamHeartbeat = 15 * time.Second

// Stream serves the namespace's new entries that match f as server-sent
// events: "event: request", "id: <entry id>", "data: <summary JSON>". It
// starts after the entry named by after (Last-Event-ID when a browser
// reconnects; 0 for the oldest kept), or after the newest entry when after
// is negative, and runs until the client goes away.
func (j *Journal) Stream(w http.ResponseWriter, r *http.Request, ns string, f Filter, after int64) error {
	ctx := r.Context()
	if err := j.Flush(ctx); err != nil {
		return err
	}
	if after < 0 {
		last, err := j.Last(ctx, ns)
		if err != nil {
			return err
		}
		after = last
	}
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	// A comment first, so the client knows the stream is open.
	if _, err := fmt.Fprintf(w, ": journal of %s\nretry: 1000\n\n", ns); err != nil {
		return nil
	}
	if err := rc.Flush(); err != nil {
		return nil
	}
	poll := time.NewTicker(streamPoll)
	defer poll.Stop()
	beat := time.NewTicker(streamHeartbeat)
	defer beat.Stop()
	for {
		// The server's write timeout runs from the request's start; a
		// stream lives on as long as each write goes through in time.
		_ = rc.SetWriteDeadline(time.Now().Add(2 * streamHeartbeat))
		written := j.Written()
		for {
			list, err := j.Since(ctx, ns, f, after, 100)
			if err != nil {
				return nil // the client has gone, or the database: end the stream
			}
			for _, s := range list {
				b, _ := json.Marshal(s)
				if _, err := fmt.Fprintf(w, "event: request\nid: %d\ndata: %s\n\n", s.ID, b); err != nil {
					return nil
				}
				after = s.ID
			}
			if len(list) < 100 {
				break
			}
		}
		if err := rc.Flush(); err != nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-j.stopped:
			return nil
		case <-written:
		case <-poll.C:
		case <-beat.C:
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil {
				return nil
			}
		}
	}
}
