/*
** Benchmark helper: runs a command N times and prints the best CPU time (user + system, of
** the command and its children, from wait4's rusage) in milliseconds, e.g. "12.3". Best
** of N, not the mean: the machine is shared, and interference only ever adds time.
** perf stat is not available everywhere (containers); rusage is.
**
** usage: cputime N COMMAND [ARG]...   (the command's output goes to /dev/null)
*/
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static double run_once(char **argv)
{
    struct rusage ru;
    int status;
    pid_t pid = fork();

    if (pid < 0)
        return -1;
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);

        if (fd >= 0)
            dup2(fd, STDOUT_FILENO);
        execvp(argv[0], argv);
        _exit(127);
    }
    if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
           (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

int main(int argc, char **argv)
{
    int n = argc > 2 ? atoi(argv[1]) : 0;
    double best = -1;

    if (n < 1) {
        fputs("usage: cputime N COMMAND [ARG]...\n", stderr);
        return 2;
    }
    for (int i = 0; i < n; i++) {
        double t = run_once(argv + 2);

        if (t < 0) {
            fprintf(stderr, "cputime: %s failed\n", argv[2]);
            return 1;
        }
        if (best < 0 || t < best)
            best = t;
    }
    printf("%.1f\n", best);
    return 0;
}
