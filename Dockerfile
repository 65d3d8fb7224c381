# Portico image. The builder stage installs the toolchain with the project's own dependency
# script and builds the portico binary; the runtime stage holds only that binary and the
# shared libraries it links.
#   docker build -t portico:0.1.0 .

FROM debian:bookworm-slim AS builder
WORKDIR /src
# The dependency layer is cached until the script changes.
COPY scripts/install-deps.sh scripts/install-deps.sh
RUN bash scripts/install-deps.sh && rm -rf /var/lib/apt/lists/*
COPY . .
RUN cmake -B build -DCMAKE_BUILD_TYPE=Release -DPORTICO_TESTS=OFF \
 && cmake --build build --target portico -j"$(nproc)" \
 && cmake --install build --strip --prefix /usr/local

FROM debian:bookworm-slim
# libcpprest2.10 and libssl3 are the Kubernetes API client and its TLS; the others are linked
# by the proxy (prometheus-cpp, RE2) and the manifest loader (yaml-cpp).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates libcpprest2.10 libprometheus-cpp-core1.0 libre2-9 libssl3 libyaml-cpp0.7 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=builder /usr/local/bin/portico /usr/local/bin/portico
# Fails the build when the binary links a library the list above misses.
RUN ! ldd /usr/local/bin/portico | grep "not found" && portico --version
# A fixed non-root user (distroless "nonroot"), matching the chart's securityContext.
USER 65532:65532
EXPOSE 8080 9090
ENTRYPOINT ["portico"]
