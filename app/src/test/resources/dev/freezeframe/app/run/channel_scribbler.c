/* A hostile "scheduler" for HeadlessRunIT: root in the guest, it maps the data channel's window through /dev/mem
 * (where the kernel command line says it is), pushes garbage through the guest-to-host ring, then breaks the ring's
 * rules with a head far beyond anything written, and exits without ever enabling sched_ext. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void) {
    char cmdline[4096];
    int fd = open("/proc/cmdline", O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read(fd, cmdline, sizeof(cmdline) - 1);
    if (n < 0)
        return 2;
    cmdline[n] = '\0';
    const char *key = strstr(cmdline, "ff.chan=");
    unsigned long long addr, size;
    if (key == NULL || sscanf(key + strlen("ff.chan="), "%llx,%llx", &addr, &size) != 2)
        return 3;
    int mem = open("/dev/mem", O_RDWR); /* no O_SYNC: the agent maps it write-back; types must match */
    if (mem < 0)
        return 4;
    volatile uint8_t *window = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, mem, (off_t)addr);
    if (window == MAP_FAILED)
        return 5;
    uint32_t g2h_offset = *(volatile uint32_t *)(window + 0x10);
    uint32_t g2h_size = *(volatile uint32_t *)(window + 0x14);
    uint64_t *head = (uint64_t *)(window + 0x40);
    uint64_t h = __atomic_load_n(head, __ATOMIC_ACQUIRE);
    for (uint64_t i = 0; i < 4096; i++)
        window[g2h_offset + (h + i) % g2h_size] = (uint8_t)(0xa5 ^ (i * 37));
    __atomic_store_n(head, h + 4096, __ATOMIC_RELEASE);
    sleep(1);
    __atomic_store_n(head, h + 4096 + 4ull * g2h_size, __ATOMIC_RELEASE);
    fprintf(stderr, "channel scribbled\n");
    return 1;
}
