/**
 * The forwarder that runs inside a sandbox: bubblewrap leaves the agent no network but its own
 * loopback, so a TCP port there is piped to the proxy's unix socket bound in from the host. It
 * then runs the agent as its child and exits with its status, so the port is open before the agent
 * starts and lives exactly as long as it. Python 3 because every sandbox has it (the verifiers
 * need it); only the standard library.
 */
export const FORWARDER_PY = `import socket, subprocess, sys, threading

port, path, argv = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port))
srv.listen(64)


def pipe(a, b):
    try:
        while True:
            data = a.recv(65536)
            if not data:
                break
            b.sendall(data)
    except OSError:
        pass
    finally:
        try:
            b.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def serve(c):
    u = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        u.connect(path)
    except OSError:
        c.close()
        return
    back = threading.Thread(target=pipe, args=(u, c), daemon=True)
    back.start()
    pipe(c, u)
    back.join()
    c.close()
    u.close()


def accept():
    while True:
        c, _ = srv.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()


threading.Thread(target=accept, daemon=True).start()
rc = subprocess.call(argv)
sys.exit(128 - rc if rc < 0 else rc)
`;

/** The loopback port the agent sees inside the sandbox (its network namespace is its own). */
export const FORWARDER_PORT = 18080;
