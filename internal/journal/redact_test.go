package journal

import "testing"

func TestRedactText(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"name":"a","password":"hunter2hunter2"}`, `{"name":"a","password":"***ter2"}`},
		{`{"accessToken" : "abcdefghijkl", "n": 1}`, `{"accessToken" : "***ijkl", "n": 1}`},
		{`{"ACCESS_TOKEN":"abcdefghijkl"}`, `{"ACCESS_TOKEN":"***ijkl"}`},
		{`{"hash":123456789012}`, `{"hash":"***9012"}`},
		{`{"token":null,"secret":true}`, `{"token":null,"secret":true}`},
		{`{"password":"short"}`, `{"password":"***"}`},
		{`{"client_secret":"cut-off-by-the-ca`, `{"client_secret":"***e-ca`},
		{`{"password":"with \"quote\" inside"}`, `{"password":"***side"}`},
		{`{"password":"abcdefg\"def"}`, `{"password":"***"}`},
		{`{"nested":{"api_key":"0123456789abcdef"},"list":[{"refresh_token":"zzzzzzzzzzzz1234"}]}`,
			`{"nested":{"api_key":"***cdef"},"list":[{"refresh_token":"***1234"}]}`},
		{`grant_type=password&username=jack&password=Aez1Ahr8Ji&x=1`, `grant_type=password&username=jack&password=***r8Ji&x=1`},
		{`action=get_users&hash=0123456789abcdef0123`, `action=get_users&hash=***0123`},
		{`client_id=a&client_secret=s3cr3ts3cr3t`, `client_id=a&client_secret=***cr3t`},
		{`{"time":"12:30","description":"password: none"}`, `{"time":"12:30","description":"password: none"}`},
		{`plain text without secrets`, `plain text without secrets`},
	}
	for _, tt := range tests {
		if got := string(RedactText([]byte(tt.in))); got != tt.want {
			t.Errorf("RedactText(%s)\n got %s\nwant %s", tt.in, got, tt.want)
		}
	}
}
