// kubun's pod sandbox process, written for kubun after the behaviour of Kubernetes' pause.c: hold the
// pod's namespaces, sleep forever, reap zombies (it is PID 1 when the pod shares its PID namespace) and
// exit 0 on SIGINT/SIGTERM so `docker stop` is instant.
//
// Why a committed binary: the agent must create sandboxes with no registry and no compiler on the node.
// busybox-static is not on users' machines and `bun build --compile` is ~100 MB; this program is ~700
// bytes per arch, so build.sh's output (base64 in pause-binaries.ts) ships inside kubun and the agent
// `docker import`s it as kubun/pause:<version> at start (src/agent/runtime/images.ts).
//
// No libc: raw syscalls keep the static binary a few hundred bytes and let one gcc build both arches
// (see build.sh). Signals are blocked and taken with rt_sigtimedwait: PID 1 drops signals it has no
// handler for, but blocked signals stay pending even for PID 1, so no handler is needed.
#if defined(__x86_64__)
#define SYS_rt_sigprocmask 14
#define SYS_rt_sigtimedwait 128
#define SYS_wait4 61
#define SYS_exit_group 231
static long sys4(long n, long a, long b, long c, long d) {
  long ret;
  register long r10 __asm__("r10") = d;
  __asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10) : "rcx", "r11", "memory");
  return ret;
}
#elif defined(__aarch64__)
#define SYS_rt_sigprocmask 135
#define SYS_rt_sigtimedwait 137
#define SYS_wait4 260
#define SYS_exit_group 94
static long sys4(long n, long a, long b, long c, long d) {
  register long x8 __asm__("x8") = n;
  register long x0 __asm__("x0") = a;
  register long x1 __asm__("x1") = b;
  register long x2 __asm__("x2") = c;
  register long x3 __asm__("x3") = d;
  __asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3) : "memory");
  return x0;
}
#else
#error "pause.c supports x86_64 and aarch64"
#endif

#define SIGINT 2
#define SIGTERM 15
#define SIGCHLD 17
#define WNOHANG 1
#define BIT(s) (1UL << ((s) - 1))

void _start(void) {
  unsigned long set = BIT(SIGINT) | BIT(SIGTERM) | BIT(SIGCHLD);
  sys4(SYS_rt_sigprocmask, 0 /* SIG_BLOCK */, (long)&set, 0, 8);
  for (;;) {
    long sig = sys4(SYS_rt_sigtimedwait, (long)&set, 0, 0, 8);
    if (sig == SIGINT || sig == SIGTERM) sys4(SYS_exit_group, 0, 0, 0, 0);
    if (sig == SIGCHLD)
      while (sys4(SYS_wait4, -1, 0, WNOHANG, 0) > 0) {
      }
  }
}
