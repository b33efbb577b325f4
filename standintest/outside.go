package standintest

import (
	"fmt"
	"sync"
	"testing"
)

// Outside returns a testing.TB for code that runs outside a test: TestMain,
// examples, a main package. A failure panics with its message; Log prints.
// Cleanup functions never run, so start servers with Start and Close them.
func Outside() testing.TB { return &outside{} }

// outside embeds testing.TB only to satisfy its unexported method; every
// method that standintest calls is implemented here.
type outside struct {
	testing.TB
	mu     sync.Mutex
	failed bool
}

func (o *outside) Helper()      {}
func (o *outside) Name() string { return "standintest" }
func (o *outside) Failed() bool { o.mu.Lock(); defer o.mu.Unlock(); return o.failed }
func (o *outside) fail(msg string) {
	o.mu.Lock()
	o.failed = true
	o.mu.Unlock()
	panic(msg)
}
func (o *outside) Fatalf(format string, args ...any) { o.fail(fmt.Sprintf(format, args...)) }
func (o *outside) Fatal(args ...any)                 { o.fail(fmt.Sprint(args...)) }
func (o *outside) Errorf(format string, args ...any) { o.fail(fmt.Sprintf(format, args...)) }
func (o *outside) Error(args ...any)                 { o.fail(fmt.Sprint(args...)) }
func (o *outside) FailNow()                          { o.fail("standintest: FailNow") }
func (o *outside) Fail()                             { o.fail("standintest: Fail") }
func (o *outside) Logf(format string, args ...any)   { fmt.Printf(format+"\n", args...) }
func (o *outside) Log(args ...any)                   { fmt.Println(args...) }
func (o *outside) Cleanup(func())                    {}
