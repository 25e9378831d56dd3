/* coreutils' ls and stat under gVisor.
 *
 * The gVisor release Debian packages (runsc 20221219) answers statx() and fstatat() with EINVAL
 * when the flags hold AT_NO_AUTOMOUNT, and coreutils passes that flag: `ls DIR`, `ls -l` and
 * `stat FILE` fail with "Invalid argument" in every runner container, so a candidate's build
 * script or test that lists a folder fails for no fault of theirs. AT_NO_AUTOMOUNT only tells
 * the kernel not to trigger an automount, and a runner container has no automount point, so
 * dropping it changes no answer. Every dynamically linked program loads this library
 * (/etc/ld.so.preload), and its calls reach glibc's own functions without the flag.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <sys/stat.h>

typedef int (*statx_call)(int, const char *, int, unsigned int, struct statx *);
typedef int (*fstatat_call)(int, const char *, struct stat *, int);
typedef int (*fstatat64_call)(int, const char *, struct stat64 *, int);

int statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *buf) {
    static statx_call real;
    if (!real) real = (statx_call)dlsym(RTLD_NEXT, "statx");
    return real(dirfd, path, flags & ~AT_NO_AUTOMOUNT, mask, buf);
}

int fstatat(int dirfd, const char *path, struct stat *buf, int flags) {
    static fstatat_call real;
    if (!real) real = (fstatat_call)dlsym(RTLD_NEXT, "fstatat");
    return real(dirfd, path, buf, flags & ~AT_NO_AUTOMOUNT);
}

int fstatat64(int dirfd, const char *path, struct stat64 *buf, int flags) {
    static fstatat64_call real;
    if (!real) real = (fstatat64_call)dlsym(RTLD_NEXT, "fstatat64");
    return real(dirfd, path, buf, flags & ~AT_NO_AUTOMOUNT);
}
