#ifndef CAPSTAN_CFILESYNC_H
#define CAPSTAN_CFILESYNC_H

/// Asks the kernel to start writing `count` bytes of `fd` from `offset` to disk, without waiting for it
/// (Linux sync_file_range with SYNC_FILE_RANGE_WRITE). Returns 0, or -1 with errno set; elsewhere than
/// Linux it does nothing and returns 0. A hint only: durability comes from fsync.
int capstan_start_writeback(int fd, long long offset, long long count);

#endif
