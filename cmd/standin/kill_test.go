package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/testenv"
)

// soakSize reads a size that scripts/soak raises from the environment.
func soakSize(t *testing.T, name string, def int) int {
	t.Helper()
	if v := os.Getenv(name); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("%s=%q", name, v)
		}
		return n
	}
	return def
}

// TestKill9UnderWritersLosesNothing kills standin with SIGKILL while many
// clients write, restarts it on the same database, and checks that every
// write that was acknowledged is there, and (SQLite) that the database
// passes its integrity check. The normal suite runs one small round;
// scripts/soak runs more rounds with more writers
// (STANDIN_KILL_ROUNDS, STANDIN_KILL_WRITERS).
func TestKill9UnderWritersLosesNothing(t *testing.T) {
	dsn := testenv.DSN(t)
	rounds := soakSize(t, "STANDIN_KILL_ROUNDS", 1)
	writers := soakSize(t, "STANDIN_KILL_WRITERS", 20)
	var acked []string // names of the groups whose create was answered 201
	for round := range rounds {
		p := startProcess(t, dsn)
		key := klipfolioKey(t, p.url(0, ""), "default")
		var (
			mu   sync.Mutex
			wg   sync.WaitGroup
			stop = make(chan struct{})
			once sync.Once
		)
		// Kill once the writers have had some writes acknowledged, so the
		// kill lands in the middle of the traffic.
		killAfter := writers * 5
		for w := range writers {
			wg.Go(func() {
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					name := fmt.Sprintf("r%d-w%d-%d", round, w, i)
					status, _ := doQuiet(p.url(2, "/api/1/groups"), key, `{"name":"`+name+`","description":"kill -9"}`)
					if status != 201 {
						return // the process is gone
					}
					mu.Lock()
					acked = append(acked, name)
					if len(acked) >= killAfter*(round+1) {
						once.Do(func() {
							_ = p.cmd.Process.Signal(syscall.SIGKILL)
							close(stop)
						})
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		once.Do(func() { _ = p.cmd.Process.Signal(syscall.SIGKILL) })
	}

	// The restarted process serves; the database holds every acknowledged
	// write and is whole.
	p := startProcess(t, dsn)
	if status, body := do(t, "GET", p.url(2, "/api/1/groups"), klipfolioKey(t, p.url(0, ""), "default"), ""); status != 200 {
		t.Fatalf("list after restart: %d %.300s", status, body)
	}
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.Engine == store.SQLite {
		var result string
		if err := db.QueryRow("PRAGMA integrity_check").Scan(&result); err != nil || result != "ok" {
			t.Errorf("integrity check after kill -9: %q %v", result, err)
		}
	}
	stored := map[string]bool{}
	rows, err := db.Query(`SELECT name FROM klipfolio_groups WHERE ns = 'default'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		stored[name] = true
	}
	rows.Close()
	lost := 0
	for _, name := range acked {
		if !stored[name] {
			lost++
		}
	}
	if lost > 0 || len(acked) == 0 {
		t.Errorf("%d of %d acknowledged writes lost across %d kill -9 rounds", lost, len(acked), rounds)
	}
	t.Logf("%d acknowledged writes by %d writers survived %d kill -9 rounds", len(acked), writers, rounds)
}

// doQuiet is a create that reports a dead server as status 0 instead of
// failing the test: the kill is expected.
func doQuiet(url, key, body string) (int, error) {
	req, err := http.NewRequest("POST", url, strings.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("kf-api-key", key)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, res.Body)
	return res.StatusCode, nil
}
