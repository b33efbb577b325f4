package worksection

import (
	"context"
	"database/sql"
	"errors"
	"github.com/standin-dev/standin/internal/httpx"
	"strings"

	"github.com/standin-dev/standin/internal/store"
)

// knownExtras are the extra values the real get_task/get_tasks take; only
// subscribers changes what standin returns (text is always included).
var knownExtras = map[string]bool{
	"text": true, "html": true, "files": true, "comments": true, "relations": true,
	"subtasks": true, "subscribers": true, "archive": true, "custom_fields": true,
}

// wantSubscribers reads extra, a comma-separated list.
func wantSubscribers(p *httpx.Body) (bool, error) {
	want := false
	for _, e := range strings.Split(param(p, "extra"), ",") {
		e = strings.ToLower(strings.TrimSpace(e))
		switch {
		case e == "":
		case !knownExtras[e]:
			return false, invalid("extra", "extra takes a comma-separated list of: text, html, files, comments, relations, subtasks, subscribers, archive, custom_fields")
		case e == "subscribers":
			want = true
		}
	}
	return want, nil
}

// taskQuery reads what get_task and get_tasks share: the id named name and
// whether extra asks for subscribers.
func taskQuery(p *httpx.Body, name string) (id int64, subscribers bool, err error) {
	if id, err = idParam(p, name); err != nil {
		return 0, false, err
	}
	subscribers, err = wantSubscribers(p)
	return id, subscribers, err
}

func idParam(p *httpx.Body, name string) (int64, error) {
	v := param(p, name)
	if v == "" {
		return 0, required(name)
	}
	id, good := parseID(v)
	if !good {
		return 0, invalid(name, name+" must be a positive integer")
	}
	return id, nil
}

var (
	errNoTask    = appErr(codeNotFound, "Task not found", "")
	errNoProject = appErr(codeNotFound, "Project not found", "")
	errNoUser    = appErr(codeNotFound, "User not found", "")
)

// getTask serves action=get_task.
func (s *Service) getTask(ctx context.Context, c *caller, p *httpx.Body) (any, error) {
	id, subs, err := taskQuery(p, "id_task")
	if err != nil {
		return nil, err
	}
	t, err := taskByID(ctx, s.db, c.ns.ID, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoTask
	}
	if err != nil {
		return nil, err
	}
	if subs {
		if err := loadSubscribers(ctx, s.db, c.ns.ID, []*task{t}); err != nil {
			return nil, err
		}
	}
	return t.out(), nil
}

// getTasks serves action=get_tasks.
func (s *Service) getTasks(ctx context.Context, c *caller, p *httpx.Body) (any, error) {
	id, subs, err := taskQuery(p, "id_project")
	if err != nil {
		return nil, err
	}
	if _, err := projectByID(ctx, s.db, c.ns.ID, id); errors.Is(err, sql.ErrNoRows) {
		return nil, errNoProject
	} else if err != nil {
		return nil, err
	}
	var activeOnly bool
	switch param(p, "filter") {
	case "":
	case "active":
		activeOnly = true
	default:
		return nil, invalid("filter", "filter takes active")
	}
	tasks, err := tasksOfProject(ctx, s.db, c.ns.ID, id, activeOnly)
	if err != nil {
		return nil, err
	}
	if subs {
		if err := loadSubscribers(ctx, s.db, c.ns.ID, tasks); err != nil {
			return nil, err
		}
	}
	return outs(tasks, (*task).out), nil
}

// subscribe serves action=subscribe.
func (s *Service) subscribe(ctx context.Context, c *caller, p *httpx.Body) (any, error) {
	return nil, s.subscription(ctx, c, p, subscribeUser)
}

// unsubscribe serves action=unsubscribe.
func (s *Service) unsubscribe(ctx context.Context, c *caller, p *httpx.Body) (any, error) {
	return nil, s.subscription(ctx, c, p, unsubscribeUser)
}

// subscription checks the task and the user (an account user, not a
// contact) and applies change; both directions are idempotent.
func (s *Service) subscription(ctx context.Context, c *caller, p *httpx.Body,
	change func(context.Context, store.Querier, string, int64, int64) error) error {
	taskID, err := idParam(p, "id_task")
	if err != nil {
		return err
	}
	addr, err := email(p, "email_user")
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		found, err := taskExists(ctx, tx, c.ns.ID, taskID)
		if err != nil {
			return err
		}
		if !found {
			return errNoTask
		}
		u, err := userByEmail(ctx, tx, c.ns.ID, addr)
		if errors.Is(err, sql.ErrNoRows) {
			return errNoUser
		}
		if err != nil {
			return err
		}
		return change(ctx, tx, c.ns.ID, taskID, u.id)
	})
}
