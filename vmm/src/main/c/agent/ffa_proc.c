#include "ffa.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

pid_t ffa_spawn(char *const argv[], const char *out_path) {
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    if (out_path) {
        int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            dup2(fd, STDOUT_FILENO);
            dup2(fd, STDERR_FILENO);
            close(fd);
        }
    }
    setsid();
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    execvp(argv[0], argv);
    ffa_log("exec %s failed: %s", argv[0], strerror(errno));
    _exit(127);
}

int ffa_wait_timeout(pid_t pid, int *status, long timeout_ms) {
    long long deadline = ffa_now_ms() + timeout_ms;
    for (;;) {
        pid_t r = waitpid(pid, status, WNOHANG);
        if (r == pid)
            return 1;
        if (r < 0 && errno != EINTR)
            return 1;
        if (ffa_now_ms() >= deadline)
            return 0;
        ffa_sleep_ms(20);
    }
}

void ffa_describe_status(struct ffa_line *l, int status) {
    if (WIFEXITED(status)) {
        ffa_line_str(l, "how", "exited");
        ffa_line_int(l, "code", WEXITSTATUS(status));
    } else if (WIFSIGNALED(status)) {
        ffa_line_str(l, "how", "signaled");
        ffa_line_int(l, "signal", WTERMSIG(status));
    } else {
        ffa_line_str(l, "how", "unknown");
    }
}
