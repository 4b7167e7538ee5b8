package server

import (
	"io"
	"mime/multipart"
)

// readFilePart reads one uploaded file of a streamed multipart form, up to
// one byte over limit, so that an oversized file never sits in memory whole.
// over is true (and data nil) when the file or the request
// (http.MaxBytesReader) is over its limit; err is any other read failure.
// The attachment and recipients readers can use it too.
func readFilePart(p *multipart.Part, limit int) (data []byte, over bool, err error) {
	data, err = io.ReadAll(io.LimitReader(p, int64(limit)+1))
	if tooLarge(err) || len(data) > limit {
		return nil, true, nil
	}
	return data, false, err
}
