package testenv

import (
	"io"
	"mime/multipart"
)

// MediaTicket is WorkDrive's answer to GET /api/media: the file's id, its
// download URL, and the presigned S3-style POST that uploads it.
type MediaTicket struct {
	FileID        string `json:"fileId"`
	URL           string `json:"url"`
	SignedRequest struct {
		URL    string            `json:"url"`
		Fields map[string]string `json:"fields"`
	} `json:"signedRequest"`
}

// WriteForm writes the ticket's fields to mw, Key first as S3 wants, and
// opens the file part (a.png, image/png). The caller writes the content to
// the part and closes mw, or leaves the form unfinished on purpose.
func (tk *MediaTicket) WriteForm(mw *multipart.Writer) (io.Writer, error) {
	return tk.WriteFormFile(mw, "a.png", "image/png")
}

// WriteFormFile is WriteForm with the file part's name and content type.
func (tk *MediaTicket) WriteFormFile(mw *multipart.Writer, name, contentType string) (io.Writer, error) {
	if err := mw.WriteField("Key", tk.SignedRequest.Fields["Key"]); err != nil {
		return nil, err
	}
	for k, v := range tk.SignedRequest.Fields {
		if k != "Key" {
			if err := mw.WriteField(k, v); err != nil {
				return nil, err
			}
		}
	}
	return mw.CreatePart(map[string][]string{
		"Content-Disposition": {`form-data; name="file"; filename="` + name + `"`}, "Content-Type": {contentType}})
}
