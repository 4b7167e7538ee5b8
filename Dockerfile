# syntax=docker/dockerfile:1
#
# Lekwacht as a container: one static binary (migrations and web assets are
# embedded), run as a non-root user on distroless.
#
#   docker build -t lekwacht .
#   docker run -e DATABASE_URL=postgres://… -e LEKWACHT_MIGRATE=true -p 8080:8080 lekwacht
#
# See docs/operations.md.

FROM golang:1.26-bookworm AS build
WORKDIR /src
# Modules first, so that they stay cached while only the code changes.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o /out/lekwacht ./cmd/lekwacht

# distroless/static: CA certificates and /etc/passwd with user nonroot (65532),
# no shell, no package manager.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/lekwacht /lekwacht
USER nonroot:nonroot
ENV LEKWACHT_ADDR=:8080
EXPOSE 8080
ENTRYPOINT ["/lekwacht"]
CMD ["serve"]
