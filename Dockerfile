# standin as a container: a static binary on a minimal base, run as a
# non-root user, its SQLite database on a volume.
#
#   docker build -t standin .
#   docker run -e STANDIN_SECRET=change-me -p 8700-8704:8700-8704 standin
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
ARG REVISION=unknown
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X main.Version=${VERSION} -X main.Revision=${REVISION}" \
      -o /out/standin ./cmd/standin
# The volume's mount point, owned by the user that runs standin.
RUN mkdir -p /out/data && chown 65532:65532 /out/data

FROM busybox:1.37-musl
COPY --from=build /out/standin /usr/local/bin/standin
COPY --chmod=0755 scripts/docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
ENV STANDIN_DB=sqlite:/data/standin.db
VOLUME /data
EXPOSE 8700-8704
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD wget -q -O /dev/null "http://127.0.0.1:${STANDIN_PORTS:-8700}/_standin/health" || exit 1
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
CMD ["serve"]
