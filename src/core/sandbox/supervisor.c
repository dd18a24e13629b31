/*
 * clawgym-supervisor: runs inside one long-lived bubblewrap sandbox (an RL episode, a claw trial)
 * and starts each command the host asks for as a child, so a tool call costs a fork/exec
 * instead of a new sandbox. Built on first use by src/core/sandbox/persistent.ts (cc -O2).
 *
 * Each call gets what a sandbox of its own gave it: its own pid namespace (the call's first
 * process is pid 1 there; when the command exits, or is killed, the kernel kills everything it
 * started: no process outlives its call, setsid or double fork included), its own mount
 * namespace with a fresh /proc (a call sees only its own processes and cannot signal the
 * supervisor or another call), a new session, rlimits set soft = hard, and no capabilities
 * (the supervisor keeps CAP_SYS_ADMIN and CAP_SETPCAP of the sandbox's user namespace to make
 * those namespaces; the command gets none, and no_new_privs stops it from gaining any).
 * The next call's namespaces and /proc are made ahead, while the current command runs (a warm
 * spare), so a call's latency is about a fork/exec; its CPU cost is the same.
 *
 * Protocol on stdin/stdout: frames of [type u8][id u32 BE][length u32 BE][payload].
 *   host -> supervisor
 *     'S' start call <id>: payload is NUL-terminated entries, each tagged by its first byte:
 *         a<arg> (argv, in order), e<KEY=VALUE> (the whole environment), c<cwd>, i (keep stdin
 *         open for 'I'/'C' frames; otherwise /dev/null), u<n> RLIMIT_NPROC, d<n> RLIMIT_DATA
 *         bytes, f<n> RLIMIT_FSIZE bytes
 *     'I' bytes for the call's stdin        'C' close the call's stdin
 *     'K' kill the call (its whole pid namespace)
 *     'B' baseline: fork/exec the 'S'-style payload plus n<count> times with no namespaces, its
 *         output read from a pipe and dropped; answers 'b' with the wall times in microseconds
 *     end of stdin: kill every call, wait for them, exit
 *   supervisor -> host
 *     'R' ready (payload: version)   'O' / 'E' stdout / stderr bytes of a call
 *     'X' the call ended: "<code|-> <signal number|->"; nothing it started is left
 *     'F' the call could not be started: a message
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/capability.h>

#define VERSION "clawgym-supervisor 1"
#define MAX_FRAME (64u << 20)
#define CHUNK 65536
#define STACK_SIZE (256 * 1024)
#define HOLD_US 10000.0
#define HOLD_BYTES (64 * 1024)

extern char **environ;

typedef struct Buf {
  char *data;
  size_t len, off, cap;
} Buf;

typedef struct Call {
  uint32_t id;
  pid_t pid; /* pid 1 of the call's namespace, as the supervisor sees it */
  int out, err, status, in;
  int stdin_closing; /* close stdin once the buffer is written */
  Buf inbuf;
  int have_status;
  int raw_status;
  int reaped;
  /* Output held briefly (HOLD_US, or until HOLD_BYTES, or the end): a quick call reaches the host in one write. */
  Buf held_out, held_err;
  double held_since; /* 0: nothing held */
  struct Call *next;
} Call;

static Call *calls;
static int self_pidns = -1;
static int last_cap = 40;

static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("clawgym-supervisor: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  _exit(70);
}

static void write_all(int fd, const void *p, size_t n) {
  const char *c = p;
  while (n) {
    ssize_t w = write(fd, c, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      _exit(71); /* the host is gone: nothing left to report to */
    }
    c += w;
    n -= (size_t)w;
  }
}

static void buf_append(Buf *b, const char *p, size_t n);

/* Frames for the host, written together once per turn of the main loop (one wakeup for the host). */
static Buf outgoing;

static void send_frame(char type, uint32_t id, const void *payload, uint32_t len) {
  unsigned char h[9];
  h[0] = (unsigned char)type;
  h[1] = id >> 24; h[2] = id >> 16; h[3] = id >> 8; h[4] = id;
  h[5] = len >> 24; h[6] = len >> 16; h[7] = len >> 8; h[8] = len;
  buf_append(&outgoing, (const char *)h, 9);
  if (len) buf_append(&outgoing, payload, len);
}

static void flush_outgoing(void) {
  if (outgoing.len > outgoing.off) write_all(1, outgoing.data + outgoing.off, outgoing.len - outgoing.off);
  outgoing.off = outgoing.len = 0;
}

static void send_text(char type, uint32_t id, const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (n < 0) n = 0;
  if ((size_t)n >= sizeof msg) n = sizeof msg - 1;
  send_frame(type, id, msg, (uint32_t)n);
}

static void buf_append(Buf *b, const char *p, size_t n) {
  if (b->off && b->off == b->len) b->off = b->len = 0;
  if (b->len + n > b->cap) {
    if (b->off) {
      memmove(b->data, b->data + b->off, b->len - b->off);
      b->len -= b->off;
      b->off = 0;
    }
    if (b->len + n > b->cap) {
      size_t cap = b->cap ? b->cap : 4096;
      while (cap < b->len + n) cap *= 2;
      b->data = realloc(b->data, cap);
      if (!b->data) die("out of memory");
      b->cap = cap;
    }
  }
  memcpy(b->data + b->len, p, n);
  b->len += n;
}

static Call *find_call(uint32_t id) {
  for (Call *c = calls; c; c = c->next)
    if (c->id == id) return c;
  return NULL;
}

/* What a call is started with, parsed from an 'S' payload (pointers into the payload). */
typedef struct Spec {
  char **argv, **envp;
  const char *cwd;
  int want_stdin;
  long long nproc, data, fsize;
  long long count;
} Spec;

static int parse_spec(char *p, uint32_t len, Spec *s) {
  memset(s, 0, sizeof *s);
  s->nproc = s->data = s->fsize = -1;
  s->cwd = "/";
  size_t na = 0, ne = 0;
  if (len == 0 || p[len - 1] != '\0') return -1;
  for (char *q = p; q < p + len; q += strlen(q) + 1) {
    if (*q == 'a') na++;
    else if (*q == 'e') ne++;
  }
  if (!na) return -1;
  s->argv = calloc(na + 1, sizeof(char *));
  s->envp = calloc(ne + 1, sizeof(char *));
  if (!s->argv || !s->envp) die("out of memory");
  na = ne = 0;
  for (char *q = p; q < p + len; q += strlen(q) + 1) {
    switch (*q) {
      case 'a': s->argv[na++] = q + 1; break;
      case 'e': s->envp[ne++] = q + 1; break;
      case 'c': s->cwd = q + 1; break;
      case 'i': s->want_stdin = 1; break;
      case 'u': s->nproc = atoll(q + 1); break;
      case 'd': s->data = atoll(q + 1); break;
      case 'f': s->fsize = atoll(q + 1); break;
      case 'n': s->count = atoll(q + 1); break;
      default: break;
    }
  }
  return 0;
}

static void free_spec(Spec *s) {
  free(s->argv);
  free(s->envp);
}

static void set_limit(int resource, long long v) {
  if (v < 0) return;
  struct rlimit r = { (rlim_t)v, (rlim_t)v };
  if (setrlimit(resource, &r) != 0) {
    dprintf(2, "clawgym-sandbox: cannot set a limit: %s\n", strerror(errno));
    _exit(125);
  }
}

/* The command's process: a session of its own, limits, no capabilities, default signals, then exec. */
static void exec_command(Spec *s) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  signal(SIGPIPE, SIG_DFL); /* the only signal the supervisor ignores (handlers reset at exec, ignores do not) */
  setsid();
  set_limit(RLIMIT_NPROC, s->nproc);
  set_limit(RLIMIT_DATA, s->data);
  set_limit(RLIMIT_FSIZE, s->fsize);
  set_limit(RLIMIT_CORE, 0);
  for (int cap = 0; cap <= last_cap; cap++) prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
  prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
  struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct data[2];
  memset(data, 0, sizeof data);
  if (syscall(SYS_capset, &hdr, data) != 0) {
    dprintf(2, "clawgym-sandbox: cannot drop capabilities: %s\n", strerror(errno));
    _exit(125);
  }
  if (chdir(s->cwd) != 0) {
    dprintf(2, "clawgym-sandbox: cannot change to %s: %s\n", s->cwd, strerror(errno));
    _exit(1);
  }
  environ = s->envp; /* execvp looks PATH up in the command's environment */
  execvp(s->argv[0], s->argv);
  int e = errno;
  dprintf(2, "clawgym-sandbox: %s: %s\n", s->argv[0], strerror(e));
  _exit(e == ENOENT ? 127 : 126);
}

/*
 * A warm spare: pid 1 of a call's namespaces, made ahead of the call (the clone, the private mount
 * tree and the fresh /proc are most of a call's cost), so a call only hands it its command. Its
 * pipes are the call's: fd 0 stdin, 1 stdout, 2 stderr, 3 the exit status, 4 the command spec.
 */
typedef struct Spare {
  pid_t pid; /* 0: none */
  int out, err, status, in, ctl; /* the supervisor's ends */
} Spare;

static Spare spare;

typedef struct ChildArgs {
  int in, out, err, status, ctl;
} ChildArgs;

static int read_full(int fd, void *p, size_t n) {
  char *c = p;
  while (n) {
    ssize_t r = read(fd, c, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1;
    c += r;
    n -= (size_t)r;
  }
  return 0;
}

/* pid 1 of the call's namespaces: mount a /proc of its own, wait for the command, start it, wait, report. */
static int call_init(void *arg) {
  ChildArgs *a = arg;
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  prctl(PR_SET_NAME, "clawgym-init", 0, 0, 0);
  if (dup2(a->in, 0) < 0 || dup2(a->out, 1) < 0 || dup2(a->err, 2) < 0 || dup2(a->status, 3) < 0 || dup2(a->ctl, 4) < 0) _exit(124);
  syscall(SYS_close_range, 5, ~0U, 0);
  fcntl(3, F_SETFD, FD_CLOEXEC);
  fcntl(4, F_SETFD, FD_CLOEXEC);
  if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
      mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) {
    dprintf(2, "clawgym-sandbox: cannot mount /proc for the command: %s\n", strerror(errno));
    _exit(124);
  }
  /* The spec: its length (u32, host order) and the 'S' payload. End of file: never used, exit. */
  uint32_t len;
  if (read_full(4, &len, sizeof len) != 0 || len == 0 || len > MAX_FRAME) _exit(0);
  char *payload = malloc(len);
  Spec s;
  if (!payload || read_full(4, payload, len) != 0 || parse_spec(payload, len, &s) != 0) _exit(124);
  close(4);
  if (!s.want_stdin) {
    int null = open("/dev/null", O_RDONLY);
    if (null < 0 || dup2(null, 0) < 0) _exit(124);
    close(null);
  }
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  pid_t cmd = fork();
  if (cmd < 0) {
    dprintf(2, "clawgym-sandbox: cannot fork: %s\n", strerror(errno));
    _exit(124);
  }
  if (cmd == 0) exec_command(&s);
  /* The command owns the pipes now; init keeps only the status pipe. */
  close(0);
  close(1);
  close(2);
  for (;;) {
    int st;
    pid_t w = wait(&st);
    if (w == cmd) {
      write_all(3, &st, sizeof st);
      _exit(0); /* the namespace ends with us: whatever the command left running is killed */
    }
    if (w < 0 && errno != EINTR) _exit(124);
  }
}

static void set_nonblock(int fd) {
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/* Make the next spare (errno set and spare.pid 0 when it cannot be made). */
static int make_spare(void) {
  int out[2], err[2], st[2], in[2], ctl[2];
  if (pipe2(out, O_CLOEXEC)) return -1;
  if (pipe2(err, O_CLOEXEC)) goto e1;
  if (pipe2(st, O_CLOEXEC)) goto e2;
  if (pipe2(in, O_CLOEXEC)) goto e3;
  if (pipe2(ctl, O_CLOEXEC)) goto e4;
  ChildArgs a = { in[0], out[1], err[1], st[1], ctl[0] };
  char *stack = malloc(STACK_SIZE);
  if (!stack) die("out of memory");
  pid_t pid = clone(call_init, stack + STACK_SIZE, CLONE_NEWPID | CLONE_NEWNS | SIGCHLD, &a);
  int clone_errno = errno;
  free(stack);
  close(out[1]);
  close(err[1]);
  close(st[1]);
  close(in[0]);
  close(ctl[0]);
  if (pid < 0) {
    close(out[0]);
    close(err[0]);
    close(st[0]);
    close(in[1]);
    close(ctl[1]);
    errno = clone_errno;
    return -1;
  }
  spare = (Spare){ pid, out[0], err[0], st[0], in[1], ctl[1] };
  return 0;
e4: close(in[0]); close(in[1]);
e3: close(st[0]); close(st[1]);
e2: close(err[0]); close(err[1]);
e1: close(out[0]); close(out[1]);
  return -1;
}

/* Write all of p to fd; -1 if the reader is gone. */
static int try_write_all(int fd, const void *p, size_t n) {
  const char *c = p;
  while (n) {
    ssize_t w = write(fd, c, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return -1;
    c += w;
    n -= (size_t)w;
  }
  return 0;
}

static void start_call(uint32_t id, char *payload, uint32_t len) {
  Spec s;
  if (find_call(id)) {
    send_text('F', id, "call %u is already running", id);
    return;
  }
  if (parse_spec(payload, len, &s) != 0) {
    send_text('F', id, "malformed start request");
    return;
  }
  int want_stdin = s.want_stdin;
  free_spec(&s);
  if (!spare.pid && make_spare() != 0) {
    send_text('F', id, "cannot start the command's namespaces: %s", strerror(errno));
    return;
  }
  Spare sp = spare;
  spare.pid = 0;
  /* A spare that died early (its error is on its stderr) reads nothing: the call reports what it wrote. */
  if (try_write_all(sp.ctl, &len, sizeof len) == 0) try_write_all(sp.ctl, payload, len);
  close(sp.ctl);
  if (!want_stdin) {
    close(sp.in);
    sp.in = -1;
  }
  Call *c = calloc(1, sizeof *c);
  if (!c) die("out of memory");
  c->id = id;
  c->pid = sp.pid;
  c->out = sp.out;
  c->err = sp.err;
  c->status = sp.status;
  c->in = sp.in;
  set_nonblock(c->out);
  set_nonblock(c->err);
  set_nonblock(c->status);
  if (c->in >= 0) set_nonblock(c->in);
  c->next = calls;
  calls = c;
  /* The next call's namespaces are made now, while this command runs. */
  make_spare();
}

static void close_fd(int *fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

static double now_us(void);

/* A call's held output goes out as frames (stdout first). */
static void release_held(Call *c) {
  if (c->held_out.len > c->held_out.off) send_frame('O', c->id, c->held_out.data + c->held_out.off, (uint32_t)(c->held_out.len - c->held_out.off));
  if (c->held_err.len > c->held_err.off) send_frame('E', c->id, c->held_err.data + c->held_err.off, (uint32_t)(c->held_err.len - c->held_err.off));
  c->held_out.off = c->held_out.len = 0;
  c->held_err.off = c->held_err.len = 0;
  c->held_since = 0;
}

static void hold(Call *c, char type, const char *p, size_t n) {
  Buf *b = type == 'O' ? &c->held_out : &c->held_err;
  buf_append(b, p, n);
  if (c->held_since == 0) c->held_since = now_us();
  if (c->held_out.len - c->held_out.off + c->held_err.len - c->held_err.off >= HOLD_BYTES) release_held(c);
}

/* Read what a pipe holds now; returns 0 at end of file. */
static int drain(Call *c, int *fd, char type) {
  char buf[CHUNK];
  for (;;) {
    ssize_t n = read(*fd, buf, sizeof buf);
    if (n > 0) {
      if (type == 'S') {
        if ((size_t)n >= sizeof(int)) {
          memcpy(&c->raw_status, buf, sizeof(int));
          c->have_status = 1;
        }
      } else hold(c, type, buf, (size_t)n);
      continue;
    }
    if (n == 0) {
      close_fd(fd);
      return 0;
    }
    if (errno == EINTR) continue;
    return 1; /* EAGAIN: nothing more for now */
  }
}

static void flush_stdin(Call *c) {
  while (c->in >= 0 && c->inbuf.off < c->inbuf.len) {
    ssize_t n = write(c->in, c->inbuf.data + c->inbuf.off, c->inbuf.len - c->inbuf.off);
    if (n > 0) c->inbuf.off += (size_t)n;
    else if (n < 0 && errno == EINTR) continue;
    else if (n < 0 && errno == EAGAIN) return;
    else { /* the command closed its input */
      close_fd(&c->in);
      c->inbuf.off = c->inbuf.len = 0;
    }
  }
  if (c->in >= 0 && c->stdin_closing) close_fd(&c->in);
}

static void finish_if_done(Call *c) {
  if (!c->reaped) return;
  /* Every process of the call is gone (the namespace died before its init was reaped), so what
     the pipes hold now is all there will be: read it and close them. */
  if (c->out >= 0) drain(c, &c->out, 'O');
  if (c->err >= 0) drain(c, &c->err, 'E');
  if (c->status >= 0) drain(c, &c->status, 'S');
  close_fd(&c->out);
  close_fd(&c->err);
  close_fd(&c->status);
  close_fd(&c->in);
  release_held(c);
  char code[16] = "-", sig[16] = "-";
  if (c->have_status) {
    if (WIFEXITED(c->raw_status)) snprintf(code, sizeof code, "%d", WEXITSTATUS(c->raw_status));
    else if (WIFSIGNALED(c->raw_status)) snprintf(sig, sizeof sig, "%d", WTERMSIG(c->raw_status));
  } else snprintf(sig, sizeof sig, "%d", SIGKILL);
  send_text('X', c->id, "%s %s", code, sig);
  for (Call **p = &calls; *p; p = &(*p)->next)
    if (*p == c) {
      *p = c->next;
      break;
    }
  free(c->inbuf.data);
  free(c->held_out.data);
  free(c->held_err.data);
  free(c);
}

static void reap(void) {
  for (;;) {
    int st;
    pid_t w = waitpid(-1, &st, WNOHANG);
    if (w <= 0) return;
    if (spare.pid && w == spare.pid) {
      close(spare.out); close(spare.err); close(spare.status); close(spare.in); close(spare.ctl);
      spare.pid = 0;
      continue;
    }
    for (Call *c = calls; c; c = c->next)
      if (c->pid == w) {
        c->reaped = 1;
        finish_if_done(c);
        break;
      }
  }
}

static double now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

/*
 * The bench's baseline: the same command fork/exec'd bare in this sandbox — no namespaces,
 * limits or capabilities to drop — its output read from a pipe (and dropped) until it ends.
 */
static void baseline(uint32_t id, char *payload, uint32_t len, sigset_t *blocked) {
  Spec s;
  if (parse_spec(payload, len, &s) != 0 || s.count <= 0 || s.count > 100000) {
    send_text('F', id, "malformed baseline request");
    return;
  }
  size_t cap = (size_t)s.count * 24 + 16, used = 0;
  char *out = malloc(cap);
  if (!out) die("out of memory");
  char buf[CHUNK];
  for (long long i = 0; i < s.count; i++) {
    double t0 = now_us();
    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) != 0) die("pipe: %s", strerror(errno));
    pid_t p = fork();
    if (p == 0) {
      sigprocmask(SIG_UNBLOCK, blocked, NULL);
      int null = open("/dev/null", O_RDONLY);
      dup2(null, 0);
      dup2(pipefd[1], 1);
      dup2(pipefd[1], 2);
      if (chdir(s.cwd) != 0) _exit(1);
      environ = s.envp;
      execvp(s.argv[0], s.argv);
      _exit(127);
    }
    close(pipefd[1]);
    while (read(pipefd[0], buf, sizeof buf) > 0) {}
    close(pipefd[0]);
    int st;
    if (p > 0) waitpid(p, &st, 0);
    used += (size_t)snprintf(out + used, cap - used, "%.0f ", now_us() - t0);
  }
  send_frame('b', id, out, (uint32_t)used);
  free(out);
  free_spec(&s);
}

static void handle(char type, uint32_t id, char *payload, uint32_t len, sigset_t *blocked) {
  Call *c;
  switch (type) {
    case 'S': start_call(id, payload, len); break;
    case 'I':
      if ((c = find_call(id)) && c->in >= 0 && !c->stdin_closing) {
        buf_append(&c->inbuf, payload, len);
        flush_stdin(c);
      }
      break;
    case 'C':
      if ((c = find_call(id)) && c->in >= 0) {
        c->stdin_closing = 1;
        flush_stdin(c);
      }
      break;
    case 'K':
      if ((c = find_call(id)) && !c->reaped) kill(c->pid, SIGKILL);
      break;
    case 'B': baseline(id, payload, len, blocked); break;
    default: die("unknown frame type %d", type);
  }
}

static void shutdown_all(void) {
  if (spare.pid) kill(spare.pid, SIGKILL);
  for (Call *c = calls; c; c = c->next)
    if (!c->reaped) kill(c->pid, SIGKILL);
  while (waitpid(-1, NULL, 0) > 0 || errno == EINTR) {}
  _exit(0);
}

int main(void) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  signal(SIGPIPE, SIG_IGN);
  FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "r");
  if (f) {
    if (fscanf(f, "%d", &last_cap) != 1) last_cap = 40;
    fclose(f);
  }
  self_pidns = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
  sigset_t blocked;
  sigemptyset(&blocked);
  sigaddset(&blocked, SIGCHLD);
  sigprocmask(SIG_BLOCK, &blocked, NULL);
  int sfd = signalfd(-1, &blocked, SFD_NONBLOCK | SFD_CLOEXEC);
  if (sfd < 0) die("signalfd: %s", strerror(errno));
  set_nonblock(0);
  fcntl(0, F_SETFD, FD_CLOEXEC);
  fcntl(1, F_SETFD, FD_CLOEXEC);
  send_text('R', 0, VERSION);
  flush_outgoing();

  Buf in = { 0 };
  struct pollfd *fds = NULL;
  Call **owners = NULL;
  char *kinds = NULL;
  size_t fcap = 0;
  for (;;) {
    size_t n = 0, need = 2;
    for (Call *c = calls; c; c = c->next) need += 4;
    if (need > fcap) {
      fcap = need * 2;
      fds = realloc(fds, fcap * sizeof *fds);
      owners = realloc(owners, fcap * sizeof *owners);
      kinds = realloc(kinds, fcap);
      if (!fds || !owners || !kinds) die("out of memory");
    }
    fds[n] = (struct pollfd){ 0, POLLIN, 0 }; owners[n] = NULL; kinds[n++] = 'H';
    fds[n] = (struct pollfd){ sfd, POLLIN, 0 }; owners[n] = NULL; kinds[n++] = 'Z';
    for (Call *c = calls; c; c = c->next) {
      if (c->out >= 0) { fds[n] = (struct pollfd){ c->out, POLLIN, 0 }; owners[n] = c; kinds[n++] = 'O'; }
      if (c->err >= 0) { fds[n] = (struct pollfd){ c->err, POLLIN, 0 }; owners[n] = c; kinds[n++] = 'E'; }
      if (c->status >= 0) { fds[n] = (struct pollfd){ c->status, POLLIN, 0 }; owners[n] = c; kinds[n++] = 'S'; }
      if (c->in >= 0 && c->inbuf.off < c->inbuf.len) { fds[n] = (struct pollfd){ c->in, POLLOUT, 0 }; owners[n] = c; kinds[n++] = 'I'; }
    }
    flush_outgoing();
    int timeout = -1;
    double t = now_us();
    for (Call *c = calls; c; c = c->next)
      if (c->held_since) {
        int ms = (int)((c->held_since + HOLD_US - t) / 1000.0) + 1;
        if (ms < 1) ms = 0;
        if (timeout < 0 || ms < timeout) timeout = ms;
      }
    if (poll(fds, n, timeout) < 0) {
      if (errno == EINTR) continue;
      die("poll: %s", strerror(errno));
    }
    /* Output first, then exits, then new requests: a call's bytes always precede its 'X'. */
    for (size_t i = 2; i < n; i++) {
      if (!fds[i].revents) continue;
      Call *c = owners[i];
      if (kinds[i] == 'O') drain(c, &c->out, 'O');
      else if (kinds[i] == 'E') drain(c, &c->err, 'E');
      else if (kinds[i] == 'S') drain(c, &c->status, 'S');
      else if (kinds[i] == 'I') flush_stdin(c);
    }
    if (fds[1].revents) {
      struct signalfd_siginfo si;
      while (read(sfd, &si, sizeof si) > 0) {}
    }
    reap();
    t = now_us();
    for (Call *c = calls; c; c = c->next)
      if (c->held_since && t - c->held_since >= HOLD_US) release_held(c);
    if (fds[0].revents) {
      char buf[CHUNK];
      for (;;) {
        ssize_t r = read(0, buf, sizeof buf);
        if (r > 0) {
          buf_append(&in, buf, (size_t)r);
          continue;
        }
        if (r == 0) shutdown_all(); /* the host closed us or died */
        if (errno == EINTR) continue;
        break;
      }
      while (in.len - in.off >= 9) {
        unsigned char *h = (unsigned char *)in.data + in.off;
        uint32_t id = (uint32_t)h[1] << 24 | (uint32_t)h[2] << 16 | (uint32_t)h[3] << 8 | h[4];
        uint32_t len = (uint32_t)h[5] << 24 | (uint32_t)h[6] << 16 | (uint32_t)h[7] << 8 | h[8];
        if (len > MAX_FRAME) die("frame of %u bytes is over the limit", len);
        if (in.len - in.off < 9 + (size_t)len) break;
        char type = (char)h[0];
        char *payload = in.data + in.off + 9;
        in.off += 9 + len;
        handle(type, id, payload, len, &blocked);
      }
    }
  }
}
