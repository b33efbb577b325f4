package control_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/standin-dev/standin/internal/testenv"
)

// chromium finds Debian's Chromium. In CI (CI=true) the browser tests must
// run, so a missing browser fails them; elsewhere they skip saying how to
// install it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "console browser tests need Chromium: apt-get install chromium (.ci/run installs it)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	fmt.Println("SKIP:", msg)
	t.Skip(msg)
	return ""
}

// browser starts a headless Chromium and collects the page's console
// errors and uncaught exceptions.
func browser(t *testing.T, width int64) (context.Context, func() []string) {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox, // the CI machine runs tests as root
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(int(width), 900),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelA() })
	var mu sync.Mutex
	var problems []string
	// Listen starts the browser; its first call must not carry the timeout.
	err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			d := e.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			problems = append(problems, fmt.Sprintf("exception at %s:%d: %s", d.URL, d.LineNumber, msg))
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
				var args []string
				for _, a := range e.Args {
					args = append(args, string(a.Value))
				}
				problems = append(problems, "console.error: "+strings.Join(args, " "))
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900)); err != nil {
		t.Fatal(err)
	}
	return ctx, func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), problems...) }
}

// shots is where screenshots go: $STANDIN_SCREENSHOTS, or a temporary
// directory.
func shots(t *testing.T) string {
	if d := os.Getenv("STANDIN_SCREENSHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

func screenshot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	_ = chromedp.Do(ctx, chromedp.Sleep(150*time.Millisecond)) // let the tab draw
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if len(png) < 1000 {
		t.Fatalf("screenshot %s: %d bytes", name, len(png))
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// noOverflow checks that nothing on the page is wider than the window.
func noOverflow(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	widths, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, window.innerWidth]`))
	if err != nil {
		t.Fatal(err)
	}
	if widths[0] > widths[1] {
		t.Errorf("%s: page is %dpx wide in a %dpx window", where, widths[0], widths[1])
	}
}

// step runs browser actions with a deadline, so that a page that never
// shows what the test waits for fails the test instead of hanging it.
func step(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	// Generous: a busy CI machine can take seconds to stream a journal entry.
	sctx, cancel := context.WithTimeout(ctx, 40*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func get[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(sctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// poll waits until a JavaScript expression is true.
func poll(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(30*time.Second))(ctx, tg)
		return err
	})
}

// TestConsoleInBrowser walks the console as a user would: create a
// namespace, open it, copy a credential, see a vendor request in the
// journal, move the clock, look at each tab, delete the namespace after
// confirming — at 420 px wide, with no console errors.
func TestConsoleInBrowser(t *testing.T) {
	env := startAll(t)
	ctx, problems := browser(t, 420)
	dir := shots(t)

	step(t, ctx, "create a namespace",
		chromedp.Navigate(env.Control+"/"),
		chromedp.WaitVisible(`#ns-list table`),
		chromedp.SetValue(`#seed`, "docs"),
		chromedp.Click(`#create`),
		chromedp.WaitVisible(`#cred-klipfolio`),
	)
	hash := get(t, ctx, chromedp.Evaluate[string](`location.hash`))
	id := strings.TrimPrefix(hash, "#ns/")
	if !strings.HasPrefix(id, "ns-") {
		t.Fatalf("hash %q", hash)
	}
	noOverflow(t, ctx, "credentials")
	screenshot(t, ctx, dir, "tab-credentials")

	// Copy a credential: the button copies exactly the shown value.
	shown := get(t, ctx, chromedp.Text(`[data-cred="klipfolio.api_key"]`))
	step(t, ctx, "copy a credential",
		chromedp.Click(`#cred-klipfolio .kv button.copy`),
		chromedp.WaitVisible(`#cred-klipfolio .kv button.copy[data-copied]`),
	)
	copied := get(t, ctx, chromedp.AttributeValue(`#cred-klipfolio .kv button.copy`, "data-copied"))
	if shown == "" || copied.Value != shown {
		t.Errorf("copied %q, shown %q", copied.Value, shown)
	}

	// A vendor request with the namespace's credentials.
	var ns testenv.Namespace
	env.Do(t, "GET", env.Control+"/_standin/namespaces/"+id, nil, nil).Decode(t, 200, &ns)
	res := env.Do(t, "GET", ns.BaseURL("klipfolio")+"/api/1/groups", nil, http.Header{"Kf-Api-Key": {ns.Cred("klipfolio", "api_key")}})
	if res.StatusCode != 200 {
		t.Fatalf("klipfolio: %d", res.StatusCode)
	}

	if get(t, ctx, chromedp.Evaluate[bool](`document.getElementById("tab-journal").disabled`)) {
		t.Log("this standin has no journal: its tab is disabled")
	} else {
		step(t, ctx, "journal", chromedp.Click(`#tab-journal`), chromedp.WaitVisible(`#j-rows tr.entry`))
		if rows := get(t, ctx, chromedp.Text(`#j-rows`)); !strings.Contains(rows, "/api/1/groups") {
			t.Errorf("journal rows: %q", rows)
		}
		// A request made now appears live.
		env.Do(t, "GET", ns.BaseURL("klipfolio")+"/api/1/groups?live=1", nil, http.Header{"Kf-Api-Key": {ns.Cred("klipfolio", "api_key")}})
		step(t, ctx, "live journal", poll(`document.getElementById("j-rows").textContent.includes("live=1")`))
		step(t, ctx, "expand a request", chromedp.Click(`#j-rows tr.entry`), chromedp.WaitVisible(`#j-rows tr.detail pre.curl`))
		// The journal redacts the key; the copied curl has the real one.
		if curl := get(t, ctx, chromedp.Text(`#j-rows tr.detail pre.curl`)); !strings.Contains(curl, ns.Cred("klipfolio", "api_key")) || !strings.Contains(curl, "live=1") {
			t.Errorf("copy as curl: %q", curl)
		}
		screenshot(t, ctx, dir, "tab-journal")
	}

	// Move the clock a day forward.
	step(t, ctx, "move the clock",
		chromedp.Click(`#tab-clock`),
		chromedp.WaitVisible(`#clock-now b`),
		chromedp.Click(`button[data-advance="+1d"]`),
		poll(`document.getElementById("clock-now").textContent.includes("offset 86400s")`),
	)
	var clock struct {
		OffsetMS int64 `json:"offset_ms"`
	}
	env.Do(t, "GET", env.Control+"/_standin/namespaces/"+id+"/clock", nil, nil).Decode(t, 200, &clock)
	if clock.OffsetMS != 86400000 {
		t.Errorf("clock offset %d", clock.OffsetMS)
	}
	screenshot(t, ctx, dir, "tab-clock")

	// The other tabs render.
	for _, tab := range []struct{ name, ready string }{
		{"data", `#data-rows table tbody tr td`},
		{"outbox", `#outbox`},
		{"settings", `#faults > *`},
		{"snapshots", `#snapshots`},
	} {
		if get(t, ctx, chromedp.Evaluate[bool](`document.getElementById("tab-`+tab.name+`").disabled`)) {
			t.Logf("this standin has no %s: its tab is disabled", tab.name)
			continue
		}
		step(t, ctx, "tab "+tab.name, chromedp.Click(`#tab-`+tab.name), chromedp.WaitVisible(tab.ready))
		if tab.name == "settings" && get(t, ctx, chromedp.Evaluate[bool](`!!document.getElementById("fault-rule")`)) {
			// Faults: the sample rule is added and listed.
			step(t, ctx, "add a fault", chromedp.Click(`#faults button.primary`), chromedp.WaitVisible(`#faults button.danger`))
		}
		noOverflow(t, ctx, tab.name)
		screenshot(t, ctx, dir, "tab-"+tab.name)
	}

	// An error shows where the user acted: a bad duration on the clock.
	step(t, ctx, "clock error",
		chromedp.Click(`#tab-clock`),
		chromedp.WaitVisible(`#clock-advance`),
		chromedp.SendKeys(`#clock-advance`, "soon"),
		chromedp.Click(`#clock-advance-go`),
		chromedp.WaitVisible(`#panel .err`),
	)
	if msg := get(t, ctx, chromedp.Text(`#panel .err`)); !strings.Contains(msg, "duration") {
		t.Errorf("clock error: %q", msg)
	}

	// Delete it from the list, after the confirmation.
	row := fmt.Sprintf(`tr[data-id=%q]`, id)
	step(t, ctx, "delete",
		chromedp.Navigate(env.Control+"/#"),
		chromedp.WaitVisible(row),
		chromedp.Click(row+` button[data-action=delete]`),
		chromedp.WaitVisible(`#confirm`),
		chromedp.Click(`#confirm-yes`),
		chromedp.WaitNotPresent(row),
	)
	noOverflow(t, ctx, "list")
	screenshot(t, ctx, dir, "list")
	if res := env.Do(t, "GET", env.Control+"/_standin/namespaces/"+id, nil, nil); res.StatusCode != 404 {
		t.Errorf("after delete: %d", res.StatusCode)
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(p, "\n"))
	}
}

// Without JavaScript the console says so.
func TestConsoleWithoutJavaScript(t *testing.T) {
	env := startAll(t)
	ctx, _ := browser(t, 1024)
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	step(t, ctx, "open", chromedp.Navigate(env.Control+"/"), chromedp.WaitVisible(`#noscript`))
	if html := get(t, ctx, chromedp.OuterHTML(`main`)); !strings.Contains(html, "needs JavaScript") {
		t.Errorf("main: %s", html)
	}
}

// The reference page draws every operation of the document, and filters.
func TestDocsPageInBrowser(t *testing.T) {
	env := startAll(t)
	ctx, problems := browser(t, 420)
	step(t, ctx, "open", chromedp.Navigate(env.Control+"/_standin/docs/klipfolio"), chromedp.WaitVisible(`#count`))
	if count := get(t, ctx, chromedp.Text(`#count`)); count != "16 operations" {
		t.Errorf("count %q", count)
	}
	step(t, ctx, "filter", chromedp.SendKeys(`#filter`, "delete users"),
		poll(`document.getElementById("count").textContent === "2 of 16 operations"`))
	noOverflow(t, ctx, "docs")
	screenshot(t, ctx, shots(t), "docs-klipfolio")
	if p := problems(); len(p) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(p, "\n"))
	}
}

// The link in Clinked's invitation mail opens a page on the Clinked port
// whose Accept button makes the invitee a member; a second answer is
// refused on the page.
func TestClinkedInvitationInBrowser(t *testing.T) {
	env := startAll(t)
	ns := env.NewNamespace(t, "docs")
	link := env.ClinkedInvite(t, ns, "new.person@example.com", "Join us")

	ctx, problems := browser(t, 420)
	step(t, ctx, "open the link", chromedp.Navigate(link), chromedp.WaitVisible(`#accept`))
	if email := get(t, ctx, chromedp.Text(`#email`)); email != "new.person@example.com" {
		t.Errorf("email %q", email)
	}
	step(t, ctx, "accept",
		chromedp.SendKeys(`#username`, "new.person"),
		chromedp.SendKeys(`#password`, "Correct-Horse-9"),
		chromedp.Click(`#accept`),
		chromedp.WaitVisible(`#result`),
	)
	screenshot(t, ctx, shots(t), "clinked-invitation")
	// The new member signs in with what they chose.
	res := env.Do(t, "POST", ns.BaseURL("clinked")+"/oauth/token?grant_type=password&client_id=clinked-mobile&username=new.person&password=Correct-Horse-9", nil, nil)
	if res.StatusCode != 200 {
		t.Errorf("sign in as the new member: %d %s", res.StatusCode, res.Body)
	}
	// The page now says it was answered; answering again is refused.
	step(t, ctx, "reload", chromedp.Navigate(link), chromedp.WaitVisible(`#status`))
	if st := get(t, ctx, chromedp.Text(`#status`)); !strings.Contains(st, "accepted") {
		t.Errorf("status %q", st)
	}
	if res := env.Do(t, "GET", ns.BaseURL("clinked")+"/invitation/nope", nil, nil); res.StatusCode != 404 {
		t.Errorf("unknown invitation: %d", res.StatusCode)
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(p, "\n"))
	}
}
