/* errno's name, for test programs whose output must not depend on the C library's strerror texts. */
#ifndef ERRNAME_H
#define ERRNAME_H
#include <errno.h>

static const char *errname(int e) {
    switch (e) {
    case EINVAL: return "EINVAL";
    case ENOENT: return "ENOENT";
    case EEXIST: return "EEXIST";
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    case EAGAIN: return "EAGAIN";
    case EINTR: return "EINTR";
    case EIDRM: return "EIDRM";
    case ERANGE: return "ERANGE";
    case EFBIG: return "EFBIG";
    case E2BIG: return "E2BIG";
    case ENOMSG: return "ENOMSG";
    case ENOSPC: return "ENOSPC";
    case ENOMEM: return "ENOMEM";
    case EFAULT: return "EFAULT";
    case EBADF: return "EBADF";
    case EBUSY: return "EBUSY";
    case EMSGSIZE: return "EMSGSIZE";
    case ETIMEDOUT: return "ETIMEDOUT";
    case ETIME: return "ETIME";
    case ENXIO: return "ENXIO";
    case EALREADY: return "EALREADY";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case ENOSYS: return "ENOSYS";
    case EIO: return "EIO";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case ESRCH: return "ESRCH";
    case EROFS: return "EROFS";
    case ELOOP: return "ELOOP";
    case ENODEV: return "ENODEV";
    case ENOTBLK: return "ENOTBLK";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case EOVERFLOW: return "EOVERFLOW";
    case ENOTTY: return "ENOTTY";
    case ECANCELED: return "ECANCELED";
    case EDQUOT: return "EDQUOT";
    case ENOKEY: return "ENOKEY";
    case EKEYREVOKED: return "EKEYREVOKED";
    case EKEYEXPIRED: return "EKEYEXPIRED";
    case EKEYREJECTED: return "EKEYREJECTED";
    case EINPROGRESS: return "EINPROGRESS";
    case ETXTBSY: return "ETXTBSY";
    case EBADFD: return "EBADFD";
    case EXDEV: return "EXDEV";
    case EBADMSG: return "EBADMSG";
    case ENOPKG: return "ENOPKG";
    default: return "other";
    }
}
#endif
