//! Private keys and JSON Web Tokens.
//!
//! Data, not code: one row per credential format (see `crate::detector`). Examples are
//! made-up values in the provider's published format, never real credentials.

use crate::detector::{BASE, Check, Detector, Severity};

pub(crate) static DETECTORS: &[Detector] = &[
    Detector {
        id: "SEC-KEY-009",
        name: "encrypted-rsa-private-key",
        title: r#"Passphrase-protected RSA/EC private key (PEM)"#,
        provider: r#"Private keys"#,
        severity: Severity::Medium,
        pattern: r#"(?P<s>-----BEGIN (?:RSA|EC) PRIVATE KEY-----\s*Proc-Type: 4,ENCRYPTED(?:\\{1,2}[nr]|[A-Za-z0-9+/=:,\s-])+?-----END (?:RSA|EC) PRIVATE KEY-----)"#,
        keywords: &[r#"Proc-Type: 4,ENCRYPTED"#],
        check: Check::PrivateKey,
        max_len: 16384,
        rotate: r#"Treat the key as compromised: revoke or replace it wherever it is trusted (authorized_keys, certificates, deploy keys, signing configs), generate a new key outside the repository, and keep it in a secret manager."#,
        examples: &[r#"-----BEGIN RSA PRIVATE KEY-----
Proc-Type: 4,ENCRYPTED
DEK-Info: AES-256-CBC,1BA33EFD73AAC2058E2C6836D59D9010

MIJxvQc3t3LGX2VELBlY1Tl0K1nqArpmOrUg7Ek/v3DPqBJrsmqoLxAxZscdJkqe
v3ypmbJo9BHZO4KR9UymlDFFORSiEdUpLNiOnXCIqWHkf8ADOGcGU/JWR0D/ShAS
Q0DrmYCReMLR4yv0SwAMf1YVbkv8gZ3YTd+19lCQgrcL1ZkpZfW3CvQIPPVF2sYK
w6bJMNQWwBizQzRPNtQ3Kz3i3nT+/a8zXk59QdOGOiXXEyfcr0gu8amzLYUibh1M
d8UPPx4aOdA8fztFtmhv7MLD5US9xJ8VeUSL3GgwfgYEdO/Uyg4UHjZar9I+Ngr7
kkQEsSiKKTsqR4sgiPYvHnBfyLCvfP1VV8gHeI1WYV6pGztLwZG1kL8AaBHx3pYI
g27ioEcmXTxNnesh++OF1qnbcbCpWGVCaal5auVRNw0To7J4NEq8WGM6MrAj452o
zwGoAF3msbrDQDRxHL4iiitbSNDXFlAHBURvrMp2K1QaC3M+W4fL7NNcZy0ITzYx
fhkeKWHwqlKkiGihg36DEmKxnKl/nN9Lu2yWr1uLTK7/2EyWSmy8wW0yaHt7VAEx
0PvtH7dhqZfVJanqJr8TZg1K4BGbv8QA63KhJv0mPofVRb5qsBEmbidTNYQiKnrG
Mj6D2ZBmxv6wdsSIUV5adjM/iz53+rq9vsRzSOYPbZtqEbsM3AQCxAtFJsmzUiTW
azV5D1CEJz6zj5SI2e7qrBueI0/deCVZOcoZy05bwWBjLtxNmdlwstZD/q+mHlhT
Y5XdJTn7hWhjzp1/phE/0Ucfx6BjzytNKMTPjo3CojLlkvSHIeG7oGnyX/p0OxnA
B92bC6uNVKcaOWl6wj9crhXRtX8Y1rhfW5NiIhgRWq7IV92j08n6IeYEq81AMFQm
TV/8npQhSkEzI3Z7AnI7NrKf/aNnSLvQENrMW7VFAcHxY2n+9ciG4xOmuYcI+Qoe
eC0M20+R/O94DAdvGAYsqRg665a2/R7dshwWYxYYTkP2gxdMKB5XCHBT6/JBOdIS
6NmkwIA7AlPpsg5grhvAh9fd/x/jgarymzwnw1as6KS8E5Qpwreb1He/nTPm4BcJ
K2z0hw8wSeRlOxXrdf3nrX8ATenwp2ToAN8TiMDuN2LhrajIadWojXOH818weBr4
hf8w8xdClD6p1cd+1kVpDXsvevjnRKAvP6GBML2pKYtmOA7M0Vy5sewKwFy7OF2w
UOgD7tdnnwP1rWCp3Y8Ux37TUUTA/YCyAVwt89rKyVibupGMTq841bFrJpzg5nL2
CDnCH1Z3FkFLSN/08G8Xm02Z1fyeK4Kiq56xekwJv/wxcrR937reiqvLicbrBstj
SJJXGmSEbBj0AzkjWq+X+wDDSCqmChnk7uOQoqLiS5VMU8vkjH3P1wdLsFhVuadX
zZDEhZ2saFHKQpaTb4hINjNBPV3Aso1tW7GaSrb2ap7nXWnAWyIR1/wZudVX+9Uw
j+mIgYcwm0ZrBytIOcaLXtBEq+lWRHwxWCMaV9nYTJ0mtuG3EAMixcKzgeLntdlR
tDvGHebffgbzMF1723lcBerxDyekoqdL4rcDicd6fsSE2e59Fu3y7A==
-----END RSA PRIVATE KEY-----"#],
        counter_examples: &[r#"-----BEGIN RSA PRIVATE KEY-----
Proc-Type: 4,ENCRYPTED
...
-----END RSA PRIVATE KEY-----"#],
        ..BASE
    },
    Detector {
        id: "SEC-KEY-001",
        name: "rsa-private-key",
        title: r#"RSA private key"#,
        provider: r#"Private keys"#,
        severity: Severity::Critical,
        pattern: r#"(?P<s>-----BEGIN RSA PRIVATE KEY-----(?:\\{1,2}[nr]|[A-Za-z0-9+/=:,\s-])+?-----END RSA PRIVATE KEY-----)"#,
        keywords: &[r#"-----BEGIN RSA PRIVATE KEY-----"#],
        check: Check::PrivateKey,
        max_len: 16384,
        rotate: r#"Treat the key as compromised: revoke or replace it wherever it is trusted (authorized_keys, certificates, deploy keys, signing configs), generate a new key outside the repository, and keep it in a secret manager."#,
        examples: &[r#"-----BEGIN RSA PRIVATE KEY-----
MIKcm3ZHyL++xSrKkNl+lEp1LiUgH5/4xCCXvx9DqEs2iOOJa+6L3dXAA9ppS7Sp
zF0FjtmP3FYGpDpeZOm1OX77YubdrTfhZWlvoW+DHa6JLJaXTkDMukofJJ/po4St
V1IveJtoLBa1wHSTafqKDoesSBu5+SAM1XhJR/KDX8bwcV/4JeJo4GqymFk0mc7L
TU2XOaly3yX4ploUA0NuMYtkCBSBZrUfTmGrXiJ5DGPnnOyrpvrDuNb1mDqnZ3T+
glNnJItX0EepVM2ijirwXk2nnHInNJ5k+JbEAfRHh68dXiGkM2MsHqkyJ6Lpl28q
Y/VGD7tqQtHSKnzrJgXgxgBlPLZNtu3Ie61ijIOaI4YkHP0Dwn8vtRg/YtBrK558
MgaDJ1CnCs5yuflnTt5aG2nK8O3qVK83rcXCz6K17qqIMwR2aDsX2kfsBHhvf0YG
A8jyX1X4S3/gsW5hKeYqeTkdqVToVBUb3A0E3B0UdI5ak3QBLCv/CUoNzBQB1C2w
TKXz92xVUlR7LkFxSIEZ093Q+YrBMOcVkj6s4nMsbSS8aoxYXkWTQD8De4ht7kCE
/mGkAu+W1+T55A4M7Tkp6ILO0bp/wesJzS37AhdXrCgtijwDP5pI1d4aTJbx1KhV
Q3YMMWjN5VEZaUaV0Km0E2BtI7PoEas0foKnwx2lKdInXVCUtQMBlCSfywH3uW/l
IlMoh2ro07ig6IQiJ+vnI+rtnlAH+CY3k0atOxKTKDJinlp1a7bEN2xWlnOXM7Xq
jGWRFMYx+yurjDdxU75jJHv4hTbON2qLTkxQelR12fzHewOmByL0OLdtscz9hHaj
knIcRA7KGC++lkVx5jDtfxx7m9BIqdCVbLIuB7ixwfFA0ZEYrzYz+WWtFFor4O9G
JQsb3BG1Un1/Clr1IrRjaL6RT/4ai7ozTD9ACgd3F0o77miazBZKkbWoMYPjco3b
1auHhhUf6/FFZv3/1F3fiTIHPn4P30qZ6TTdxV3/+SeG9XwFZxvhyrvT6mMr7pbh
eROwCffIEs7thkkTfG+3XVhvI71STfwy6c0rnA7lbp+ifQBQA8iWLP2CaPI9QBAG
z4EXRKg/LR5Fb7WO62D/VsKqut3gZ4C5vGzaIWvl5+KD3rOVo9SgKzQp23n7WYAf
ecsITq5/+bYIl5CV1fvnFHPHmdcokWj+l1Jnoy/+0FATnvZJBHsFexRLSaCU+5Al
cFiyuiHLmcmpB2qt7R3T7syjy2E4M7jC8TqPJlBDrs7z1yj8o4rNpnnKW58zhMm/
J44owZSmozwIogNaau2JoRc7JxT57zpg9Clc0+wPE2Z8N1XoaloUk8NOGOasynxh
w49PwTy09ib2L6eIkC80YAWBLSORX7o4Bk/027uIY0LExwPmeqhro/K2IrRVNkpy
YI+s1tVymttJXsdFM3ovN3Q95NrnLS18+xvVVBIVFDM3EyfZHK9r0pJWifH97g8t
kR0kGX/BYGYc8otwgX+4fxJ9ZmlRcyN/z9fZFehUc4GtOtKe8oNI8NlyEcoTQlqJ
NjjbkTiD/FTYryfnCBcJCNT/6OeFFjPk00WruDIf
-----END RSA PRIVATE KEY-----"#],
        counter_examples: &[
            r#"-----BEGIN RSA PRIVATE KEY-----
MIIE...
-----END RSA PRIVATE KEY-----"#,
            r#"-----BEGIN RSA PRIVATE KEY-----
<your key here>
-----END RSA PRIVATE KEY-----"#,
        ],
        ..BASE
    },
    Detector {
        id: "SEC-KEY-002",
        name: "ec-private-key",
        title: r#"EC private key"#,
        provider: r#"Private keys"#,
        severity: Severity::Critical,
        pattern: r#"(?P<s>-----BEGIN EC PRIVATE KEY-----(?:\\{1,2}[nr]|[A-Za-z0-9+/=:,\s-])+?-----END EC PRIVATE KEY-----)"#,
        keywords: &[r#"-----BEGIN EC PRIVATE KEY-----"#],
        check: Check::PrivateKey,
        max_len: 16384,
        rotate: r#"Treat the key as compromised: revoke or replace it wherever it is trusted (authorized_keys, certificates, deploy keys, signing configs), generate a new key outside the repository, and keep it in a secret manager."#,
        examples: &[r#"-----BEGIN EC PRIVATE KEY-----
MILayOQI15mZwGz4Ed4t36OjoMQJ6ECz5Y/Ow0tqZkUFj7lxshtj8uOPzl/3wB6B
fy2Ry7pWTlu7iUj6feBoOp4YRrGkNTl+ziroJL8hxALMBE9ym/elFtihW6jcxDqy
MPd7I6qHP8IPB2xxYVoJHA==
-----END EC PRIVATE KEY-----"#],
        counter_examples: &[
            r#"-----BEGIN EC PRIVATE KEY-----
MIIE...
-----END EC PRIVATE KEY-----"#,
            r#"-----BEGIN EC PRIVATE KEY-----
<your key here>
-----END EC PRIVATE KEY-----"#,
        ],
        ..BASE
    },
    Detector {
        id: "SEC-KEY-003",
        name: "openssh-private-key",
        title: r#"OpenSSH private key"#,
        provider: r#"Private keys"#,
        severity: Severity::Critical,
        pattern: r#"(?P<s>-----BEGIN OPENSSH PRIVATE KEY-----(?:\\{1,2}[nr]|[A-Za-z0-9+/=:,\s-])+?-----END OPENSSH PRIVATE KEY-----)"#,
        keywords: &[r#"-----BEGIN OPENSSH PRIVATE KEY-----"#],
        check: Check::PrivateKey,
        max_len: 16384,
        rotate: r#"Treat the key as compromised: revoke or replace it wherever it is trusted (authorized_keys, certificates, deploy keys, signing configs), generate a new key outside the repository, and keep it in a secret manager."#,
        examples: &[
            r#"-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAM5vJJgrDsBpe+8
FIvZJS6GWNUIyJ4TnOz0aVndhJpZQPwxPJiZYzDhilNt5e/g3e8c/TjAAAAKAVQvwlvOsR
OiFNaF7Je0hqjLF1G0qEegDDMhesgibWsQ2ljJSKDBQcBC27dCksPMbO1GxJD50zN+2JG4
FYhvP6kPsegDaQZcQOyDyGUIBVMhzfvNB4PiiEODA2N6Le0NPODWvChuEUPziKr01U3RFn
EBCpilxdFp/IkxQP+rBJ46GxfZ4oKAwRsHwH/rAbRkg/IUhErpT/mvkTWlMXLzBP
-----END OPENSSH PRIVATE KEY-----"#,
            r#"env('KEY', "-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAM5vJJgrDsBpe+8\\nFIvZJS6GWNUIyJ4TnOz0aVndhJpZQPwxPJiZYzDhilNt5e/g3e8c/TjAAAAKAVQvwlvOsR\\nOiFNaF7Je0hqjLF1G0qEegDDMhesgibWsQ2ljJSKDBQcBC27dCksPMbO1GxJD50zN+2JG4\\nFYhvP6kPsegDaQZcQOyDyGUIBVMhzfvNB4PiiEODA2N6Le0NPODWvChuEUPziKr01U3RFn\\nEBCpilxdFp/IkxQP+rBJ46GxfZ4oKAwRsHwH/rAbRkg/IUhErpT/mvkTWlMXLzBP\\n-----END OPENSSH PRIVATE KEY-----")"#,
        ],
        counter_examples: &[
            r#"-----BEGIN OPENSSH PRIVATE KEY-----
MIIE...
-----END OPENSSH PRIVATE KEY-----"#,
            r#"-----BEGIN OPENSSH PRIVATE KEY-----
<your key here>
-----END OPENSSH PRIVATE KEY-----"#,
        ],
        ..BASE
    },
    Detector {
        id: "SEC-KEY-004",
        name: "pgp-private-key",
        title: r#"PGP private key block"#,
        provider: r#"Private keys"#,
        severity: Severity::Critical,
        pattern: r#"(?P<s>-----BEGIN PGP PRIVATE KEY BLOCK-----(?:\\{1,2}[nr]|[A-Za-z0-9+/=:,\s-])+?-----END PGP PRIVATE KEY BLOCK-----)"#,
        keywords: &[r#"-----BEGIN PGP PRIVATE KEY BLOCK-----"#],
        check: Check::PrivateKey,
        max_len: 16384,
        rotate: r#"Treat the key as compromised: revoke or replace it wherever it is trusted (authorized_keys, certificates, deploy keys, signing configs), generate a new key outside the repository, and keep it in a secret manager."#,
        examples: &[r#"-----BEGIN PGP PRIVATE KEY BLOCK-----
Comment: release signing

MILwHPXYItSarabImcXDxIm01nLD9qO1IfLRxX/P9ceYHnvVeGHAuuBiEi3vmRwc
qFIQ8Emelrm4ZYSM4UYyR/VJFIJLa+p5sWmW0wzLJYUrYyakA2m6o1B3qP2Ef5Jq
MnavQECAZSAEyn9ZQJsUZx1jPnLyrq4MPa0Bwk57ZiW3+RGOMkTmZRgFXcJciAnT
4B8XnFgXQSg85feuLACkxW2YKWBjsj7sJgs3+2g+QQAknfxK8fHBlo7prPPPSmim
BG/42PqArZGAREoPwnMs1ZtnfxIa/cL61Nj7UEWf5ArtvwTuiGHizeJu7jB4S2wg
oaacYRH/zEixLMN++HByC5we5J+Kq/qaqCLmFoODeMG5RwNdA6/dYRMOE8bpfM1P
R/+7Py+MvgJsjv//KnrYFIwgEBxoKWqFOudiUSZ+I3JwhJ1fke8IFYWd5DhtF3vm
VOFWXTFvMtDKB/Vq7/pYDkDz0iKpHkmuZVNB8FKodIkkWfdvV8V+j+BYO1DChqki
CZn6UotCxkJMA3sI2dFhqb8xmAMxcp3t/jNBVvyps+yCIxoSCDF1mAWRtfSsHNXo
rDgXi3hmdY+lrQ73+Zw2nGXnQtOKnkk7KlkOWGb0gpI8bJ38AiwrrQwtgpah3baF
HKRNYKEXs6rqlRuFjkZ0P5k5o0gloQAtVmyqbahZl+cc4f41y5HYV7xnkR0F68Zb
OEjtYhDirq1T2/uCNaYYFgllgUG+Zkw7vFiGcvRPy7BDlRBrej4peuCZJLygsMUX
E95mzSFCl8bcgTWtda4SwikeRncUnzUJ4CJ70/gfPUihTpwfSwrZeHtZgBinNCvr
Nb9bDUba9pJGMnEzbf4F9zKJAa8PDJfIjvAIsYy3ZlQsb0yisgVIQ6ddAHIUOr2C
yE+E4NC4qDX+QQ6P8a+WhZ1t3o/eiSaW/Tqv3SICectnbWEr8Rz/RBjPIbwHNXng
pATRusZp6LxL1QVQLrEfEMtO6M9MJCourYdeNAlQKFnY78JJmb4Sp3Vj4wdSqZLu
acacop03+f5qIWiLsZkHUSirILHLFuHkpCD0uKtI3NE6VtwD3dTqLa2BgoD+Oxw4
gRSe0NhhwFMhzlWrdhVKObd5fQLKTNlIf0jHzSWhf8Ch+iGf1IO68060qDVMUtwW
NaAWqJD6jssfzVPvpNj9/A4mUvApcaCD5xaWgcPwwqNAXNd1jTE=
-----END PGP PRIVATE KEY BLOCK-----"#],
        counter_examples: &[
            r#"-----BEGIN PGP PRIVATE KEY BLOCK-----
MIIE...
-----END PGP PRIVATE KEY BLOCK-----"#,
            r#"-----BEGIN PGP PRIVATE KEY BLOCK-----
<your key here>
-----END PGP PRIVATE KEY BLOCK-----"#,
        ],
        ..BASE
    },
    Detector {
        id: "SEC-KEY-005",
        name: "pkcs8-private-key",
        title: r#"PKCS #8 private key"#,
        provider: r#"Private keys"#,
        severity: Severity::Critical,
        pattern: r#"(?P<s>-----BEGIN PRIVATE KEY-----(?:\\{1,2}[nr]|[A-Za-z0-9+/=:,\s-])+?-----END PRIVATE KEY-----)"#,
        keywords: &[r#"-----BEGIN PRIVATE KEY-----"#],
        check: Check::PrivateKey,
        max_len: 16384,
        rotate: r#"Treat the key as compromised: revoke or replace it wherever it is trusted (authorized_keys, certificates, deploy keys, signing configs), generate a new key outside the repository, and keep it in a secret manager."#,
        examples: &[r#"-----BEGIN PRIVATE KEY-----
MIKgmleUD751HaOxnVJ34fzztiTpWu5FfQjBi/ckZ7Dah1BZOye0Ppj7WBTRLkVl
PYepsJQ86dGMOJHFJWw/j1RoL5bAGFLKZOYulA9LuRzTY40eTRQzQjz+AT7GF0vF
SI5GxzLmMO2LmHMntEFHYJZ7Zkm6kHDGnsEksnrGkBOMGc0VkQgPTeP1uOZz+F50
1mc4GqN4Gw6CzK+5XrtTpbraLUhXgi13nOgMv/ovdQETaHSeHm64/9VbnZT2Mtsr
PL0GE+iuAPK0+Wg1FtDJy8IVLBqwAflVo7BmTHsm1r8gszuyKIg2DT7MDisJXEMX
hKDZk1lN+N5eE/lAI8iC5eVl7f7yfIVMd1Xm/Q1zeDMH/iu8057riNGOBC5Yt+8L
vJrD8Vtg1AeUPU1Ix/0lXobG1HR8wQlxX+CeZuGNWnlNuLJ33xwXeNsiXHlzqJ1B
OyXhQlGQnDMQB/8xLufOSgpqxivfOs+O+AC1ghb5kTEeLtaLrtR8aqcXFB2XLzV5
5pzkRNYQBQD7vdb0e0ngsBZYesdyfx6fL4U2mo6cttMMT/ewEOn/4y2lcpHP1laH
arzM90Vvxxrl8XqS0XzyGyOJxgGtZ8slyFSB2rXg1tK+6FrjTyYzpDhf8bIK6JjA
cSozyzcPp3j4STl8wL9tZoXjAJ8/z6E55HpPi3nviVLFZ4lRQ9YRGSET5/m4BshN
EmRb9BeieBtuxwjPTF6bRqWaL7661BpBASxjA7cqbU1DB7XAT4g3+odiqu4h8KXP
oR8HOs5cIUw7rOnjS7pLUo1ET0Y39CyuO9oxAVpLTBqNUZVpa43XtH+7dGFb6vK7
A7jkQVjGCdthVCS+KRv6Cws+k3psUzC/27e6JtR32WEW+iS0BWs03d2gn0XoQhSy
QcXI+KZYHHq5ohZXuR1urRzxOJ6ds4PIUniZFFZazcb1Mlr+Sy6Yfj0Jgdq6EH5X
3s//ylSKTdjQPtFBisvizATjiQrMK+M5WOFNyUJv/6EtsxSykH7YR7PHl9MkG8UE
M8U5v8hz7wfdXv0bPEDxRI0gR5QDUGT/hzCovAbd/GdiU35UaNTvsclH2ZcqZ6CQ
ap0bU0BefTgJOD+whi9Rky7vehRTEaXBtcDZcv2ev211CqlWO+opLdQfJxuQ1HJa
ltLRXF/Uu7hu+dgv1hBBsA79QzhVYYgVVVCLbt0bQ9i8kf3+EdLPhJJkI0N8VHdM
TDoAsMqfjPfG8pgrlncB6J9rg5IVkptty70JdHhFozUFP6WrP6cykAaZbz7irkDW
+jC7cWUQrptDE51MVBucIzR5w5FEzPJljiwMhPoYBnbqMKbKVEhVLLCmO2MEhXUK
GWVqSSddkzEq+YP7kO+QFUNBmvPHljXbpGTuubXJI2FU/eci3Afl6xtn5DnDqT4S
H1AtITCfctxSq1d0iRqhMe7CoaRkRipZCB5U1Pr+26O1oXVRKqarQTSW42phX2PZ
2MvNbXk6nM3MFktivs3mN+OvcSfhxayyQ8R3kmUk5DOZtsJd4uae+ptkUNkhTRlQ
2rxHIgAVOhogY8eIHKG6Fcocv7xcchNy8x8Pxf+/hVHz+gF8DmT82arr3ONrOkpW
y0g=
-----END PRIVATE KEY-----"#],
        counter_examples: &[
            r#"-----BEGIN PRIVATE KEY-----
MIIE...
-----END PRIVATE KEY-----"#,
            r#"-----BEGIN PRIVATE KEY-----
<your key here>
-----END PRIVATE KEY-----"#,
        ],
        ..BASE
    },
    Detector {
        id: "SEC-KEY-006",
        name: "encrypted-private-key",
        title: r#"Encrypted PKCS #8 private key"#,
        provider: r#"Private keys"#,
        severity: Severity::Medium,
        pattern: r#"(?P<s>-----BEGIN ENCRYPTED PRIVATE KEY-----(?:\\{1,2}[nr]|[A-Za-z0-9+/=:,\s-])+?-----END ENCRYPTED PRIVATE KEY-----)"#,
        keywords: &[r#"-----BEGIN ENCRYPTED PRIVATE KEY-----"#],
        check: Check::PrivateKey,
        max_len: 16384,
        rotate: r#"Treat the key as compromised: revoke or replace it wherever it is trusted (authorized_keys, certificates, deploy keys, signing configs), generate a new key outside the repository, and keep it in a secret manager."#,
        examples: &[r#"-----BEGIN ENCRYPTED PRIVATE KEY-----
MII/bvMvgPfxZJrBqzCXIB1BjqnjUI8jtftjS8OkC7ECt4FDRZXUVSHJWkNScxK0
eFhxzMNnkNqj9TtCFBiByGRAZtkdw7NU83uCnfJ0wiCf3VXqPZHA1zJxoEXdinQV
Ojd29CLw+cKknevQGY7UKnEt+OpuSVyEm6X2/WAo8Kjze0tgGTLtb0DXqeJYt8/k
LHzwyASJx+FZeSRAz541zTItP9tlSvWoG/YAJoC2KsOUTOEIVFxIauVCIl+P08hg
KQONnqwbCfTqApCW5cEKiNnP2FGI1l8ZKtMBVSpmlKq+CQn/V5Aee+JaeiCmGLjs
PisF/LtJ2HG8fHXwC4kpk4IVcLFr5r8pPfa8SO3uxYF00jtGGwhIwndk+y+KQ6FJ
RA5K/uyM4s4S2GA/qID/Ir9j7Dkvw3ys1WJgbtAEhzmVVs8tt2yvKC8xkmqu3fgl
mSGAPcz11ia0B7uBtWHtnpU9+RKuwavPlT1TlgPmnrbuZwtxOw0GcQRWO7xdtxdW
ARnwbO1fGfz1AXQBzsROMQaUGMz38m3+AUbEBrDjCWPQwVBcUNmKHiUzeBlSgNy0
nV4n8QklvICTW26ETHmUTNdXM9m7GEg+3GmH4Jgy4NPnWhzAFuY3ymKK6gdjMzwi
4xhnIu9N5v4pdPNnp3W19G2budq1ifytlB1OXk0ju22RNbkkobwcMyTYnvNEJ471
cw3o7sZCOG4tKwfJMCeWOrEmugXF3mnZfx/0zT2aYR1g98vQLqlisOPdvSJdUArB
6mSz03Ju2eizeNNULdr08YgRU+04RER5gmkiAxzZ/A0xlXNcPPuLpW88a20rzSJw
hpe0AUNiio/pYEFs2j0XQuazMDMINNvCAmLU4Z38Rxh8AqJ2m29iGeK1EPz09IDb
mR06GYAPdnVW8cGunoVEPoP9tB+RUpXZW/YJ0b7Gyu8GNeQ1HZCU+MMpaJa2MES+
j7Eky0z+XzOTpM2yna4EREWzWqiTiKBenUivN4QadxMQQmuuYi8T1sCTms0M2saD
UrgO8qJr69oBEULTVgxxksrOPQVsIKenrJDVZ3fly/7OiHwOqbAN9821KNIhNOgl
oo12UcQgP8eYm4Qn2dj875EBmHmx7/7iouh13Iino8Dld5GLsqXgwasZfxK30wuV
9nbd5IY4D2+EV+4T0U/l2ENgQKf1Q7Zeuqff81YPaMBpmTb4sKzVgkyQFSRiY/e3
8UFJ2PZVrzcnD08OzDPQr8iJZSoTHeZ4EeqUslou15TxyhdZ4IM2QF17obQ7m2AK
BoYKmaIpQ6fNQQc3vjp6VbROqrLwNeOSU8bnK7rOdR9g2/8k0loTvxfxOM+fqfSf
LDOtsU525xpRVs2vdreaPAwPosF7KMsMDwrBznzeBO0fuSuegjEQvJ5kPG2DUZmo
7khhVglYt3RWNIuiCG2ck4SwDPyu8SnQfPlmz/FRMG3I1ULgTQmoHYlz2SE3icmk
RHDueDcxIS9pB2ff5BKln7gkxNdH+sLuV7q0o4hK9m633sGwgfTHIiVp3/JLNmi2
JD9tdhvRNZ+A44l3hq7kj1m36QlODnZMu01ZFdnaPZdcDGiQgblQkSsioMRkjfcp
49mLoyheiJbNrcZ99ym9EJmpm9ynyslAe2x7DoDIcLOAACjx7CnQi9V7N3O2L+6m
z9GHAQ==
-----END ENCRYPTED PRIVATE KEY-----"#],
        counter_examples: &[
            r#"-----BEGIN ENCRYPTED PRIVATE KEY-----
MIIE...
-----END ENCRYPTED PRIVATE KEY-----"#,
            r#"-----BEGIN ENCRYPTED PRIVATE KEY-----
<your key here>
-----END ENCRYPTED PRIVATE KEY-----"#,
        ],
        ..BASE
    },
    Detector {
        id: "SEC-KEY-007",
        name: "dsa-private-key",
        title: r#"DSA private key"#,
        provider: r#"Private keys"#,
        severity: Severity::High,
        pattern: r#"(?P<s>-----BEGIN DSA PRIVATE KEY-----(?:\\{1,2}[nr]|[A-Za-z0-9+/=:,\s-])+?-----END DSA PRIVATE KEY-----)"#,
        keywords: &[r#"-----BEGIN DSA PRIVATE KEY-----"#],
        check: Check::PrivateKey,
        max_len: 16384,
        rotate: r#"Treat the key as compromised: revoke or replace it wherever it is trusted (authorized_keys, certificates, deploy keys, signing configs), generate a new key outside the repository, and keep it in a secret manager."#,
        examples: &[r#"-----BEGIN DSA PRIVATE KEY-----
MIIOGlaDleoUzMUosN3UIcotRIT5qN05sTs/3hkTqpBOjTqAqX7vjkPvHIQ0SWJw
oFm1I4wgjgiCVeAOtXy4vt7goIz9KbVYUw7ICqctdTpOtNp0L5YF/ozLZGu2Iguz
a/sTyKpbZx7b/zQI/oKpkoRJQp++h3Y65IG5FBaWvlRQT18T+0F4UcmF0WWI0N01
mbaxOqwYYZtqbsVCUqvXS3ZWwTbrVYG85unmpDJs902pbNbpofO8AfW4hlFAdAk7
SKZv2w/GuhMaaLXb6nqbnT7zSSyEBsq0mnNOhrJMCOFW3ZH3MYsuG3pF8xoTWcmS
0IPt9Ks2DV+pweu6VrCGVCnPsfojQu+KaxuSl+/hIvxoM5WJJR9G4+JK6VVGMV9I
vjbOMt/fQw77L3qG4pDm2/2fqdD/SILTnighcCw15q9xSZkUH5b3FwLOh0GfGcj1
Mtef2FLGj6yEi/TaUjG6WtdG44nTWfMPvFja+1KwcebUTV6z3cPlO8UISzTxuRWm
iUdgO9vql1yywWg0WV/Vd6Gr3JRqDJNiX3zfWSujpG4Uu6cXaxPz548V48oiKuu+
IEoIhrjvmEG8fA==
-----END DSA PRIVATE KEY-----"#],
        counter_examples: &[
            r#"-----BEGIN DSA PRIVATE KEY-----
MIIE...
-----END DSA PRIVATE KEY-----"#,
            r#"-----BEGIN DSA PRIVATE KEY-----
<your key here>
-----END DSA PRIVATE KEY-----"#,
        ],
        ..BASE
    },
    Detector {
        id: "SEC-KEY-008",
        name: "putty-private-key",
        title: r#"PuTTY private key"#,
        provider: r#"Private keys"#,
        severity: Severity::Critical,
        pattern: r#"(?P<s>PuTTY-User-Key-File-[23]: [a-z0-9-]+\s+Encryption: none\s+Comment: [^\n]{0,120}\s+Public-Lines: \d+\s+(?:[A-Za-z0-9+/=]+\s+){1,20}(?:Key-Derivation: [^\n]+\s+)?Private-Lines: \d+\s+(?:[A-Za-z0-9+/=]+\s+){1,40}Private-MAC: [a-f0-9]{40,64})"#,
        keywords: &[r#"PuTTY-User-Key-File-"#],
        max_len: 8192,
        rotate: r#"Treat the key as compromised: revoke or replace it wherever it is trusted (authorized_keys, certificates, deploy keys, signing configs), generate a new key outside the repository, and keep it in a secret manager."#,
        examples: &[r#"PuTTY-User-Key-File-3: ssh-ed25519
Encryption: none
Comment: deploy@ci
Public-Lines: 2
9JepQ0WIDri+cSPOg3daA0giSwiucGBIVo44znGl62AZL9QBFD9t
oR5RT+q0ZM/kHw+Q
Private-Lines: 1
+s1EkpzfR0MzJgya4CZmsJ37XFKoFocThbIqWJZgNU2UIwwkB/FWymB8A1f/
Private-MAC: 1a7002ab4fc08e3d93b7917b3e08abc7ff5a54184db0ed082d502adf09754609"#],
        counter_examples: &[r#"PuTTY-User-Key-File-3: ssh-ed25519
Encryption: aes256-cbc
"#],
        ..BASE
    },
    Detector {
        id: "SEC-KEY-010",
        name: "base64-private-key",
        title: r#"Base64-encoded private key"#,
        provider: r#"Private keys"#,
        severity: Severity::Critical,
        // A PEM block stored base64-encoded (Kubernetes Secret `data`, CI variables, Terraform
        // values): `LS0tLS1CRUdJTi` is `-----BEGIN`. The check decodes it and judges the key.
        pattern: r#"\b(?P<s>LS0tLS1CRUdJTi[A-Za-z0-9+/]{100,12000}={0,2})"#,
        keywords: &[r#"LS0tLS1CRUdJTi"#],
        check: Check::Base64PrivateKey,
        max_len: 12400,
        rotate: r#"Treat the key as compromised: revoke or replace it wherever it is trusted, generate a new key outside the repository, and store it in a secret manager instead of a base64 value in a file."#,
        examples: &[
            r#"  value = "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlDWEZMeUptV21EQkxTaVJoZGxRN29nVFlKRm05ckVUMFhqV3dQMDVBZjhqbWhvSlh5RDVPVlpRejVPQXVPCjJ5SktheVNLSHBKT2o5Q3VMaHFVa3FNd1h4aU10aENRRDU0MGY2NkliY1pRZDVYc2RGeE1QOHN1c3NjK0ZKTk0KaG43Z1Y3cHlTWnY2RWg2RGF5ckJWeWJ1ZldzSzlxc1R3NDZTeXVEUlVGZXhXWmgvbE14MEVkY1g4VVY1c3FvUQpEN3V6VDZXVC9xN1Nja2kzWXVPcldBWHdkbG9ybkIxK0R6ZkVTU0c5UDJWazZ0OS9GQ3B5Wm94SDRpUFJidDJNClI3UnEvRnV1NG1IMU95WVZMU1k3cURzRGZOU1dMa05JQVNWcmlGNmNrRkh6SUxEYmcvT2VwNjI5RFhUbTNzZnoKMzY3TWoyUmxabVFhZTZKbUR6QVIvRFZ3S1J4WG1RMGFBSkVtaVJueVhaMEdFdDgxbldBbW9rRDBXSnBkZVI4ZAoyWHorK25kNmUwOFZKQnEvVjcxRGV0U3hLWVFGTlBQemgxd2xzSXZxQnNLSFRQcWszUmV5MkVLRVhlZ3FXOFU1CmlJckhnRlNpT1p6UHlmekMyakhPUGRGbXZjMDZNNFIrVzdzSC9RZktSM2hDTWJHYTlGaHl6dSs1L0ZuMCtWMFUKT0JvNmVESldOSHVmL09hYzF3QjY2S2RZektRVjFha2U2R1BJdHNBemV1TXRiOHFpVlJiTjh2aTRaWFptdnZJVgp1U2dyL2lBSEpwZm5kODZuSlp6VG1QcDVxTzlaSjR5TUlRVUR6UGk1cGhxR3YrOGpiL3pmTWRQZk5nZEFOa3FBClBjT1dVMEtMYTlVaEQraTlXdVYxcVpYUTU0UnIwK3JnZ0NHSUpvYUNCTjl3eGk2YkFjYk1KaXdrZVo2NUhvNFAKVTY2RWg0NTd5TVliNG84T1B6QkdDc1VaZ1hPUEI4TGs2UkJ4VTV6NWdadURNN0ZHYzRLSXpucUI4VCt5aGVEZwo4ZTFDN0kvazhUUFhjaU5xSDJSeFVCS3JQVzBTTnF0TnlCL2x4Zz09Ci0tLS0tRU5EIFJTQSBQUklWQVRFIEtFWS0tLS0tCg==""#,
        ],
        counter_examples: &[
            r#"ssh_key: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCi4uLgotLS0tLUVORCBQUklWQVRFIEtFWS0tLS0tCg=="#,
            r#"ca.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUNYRkx5Sm1XbURCTFNpUmhkbFE3b2dUWUpGbTlyRVQwWGpXd1AwNUFmOGptaG9KWHlENU9WWlF6NU9BdU8yeUpLYXlTS0hwSk9qOUN1TGhxVWtxTXdYeGlNdGhDUUQ1NDBmNjZJYmNaUWQ1WHNkRnhNUDhzdXNzYytGSk5NaG43Z1Y3cHlTWnY2RWg2RGF5ckJWeWJ1ZldzSzlxc1R3NDZTeXVEUlVGZXhXWmgvbE14MEVkY1g4VVY1c3FvUUQ3dXpUNldUL3E3U2NraTNZdU9yV0FYd2Rsb3JuQjErRHpmRVNTRzlQMlZrNnQ5L0ZDcHlab3hINGlQUmJ0Mk0KLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo="#,
        ],
        ..BASE
    },
    Detector {
        id: "SEC-JWT-001",
        name: "json-web-token",
        title: r#"JSON Web Token"#,
        provider: r#"JWT"#,
        severity: Severity::Medium,
        pattern: r#"\b(?P<s>eyJ[A-Za-z0-9_-]{10,800}\.eyJ[A-Za-z0-9_-]{10,4000}\.[A-Za-z0-9_-]{20,1000})"#,
        keywords: &[r#"eyJ"#],
        check: Check::Jwt,
        max_len: 6000,
        rotate: r#"Revoke the token's session or rotate the signing key that issued it; a JWT stays valid until it expires."#,
        examples: &[
            r#"Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI2NDI5MTA0MSIsInJvbGUiOiJzZXJ2aWNlIiwiaWF0IjoxNzYwMDQxMTMyfQ.SPBTBpv4ABmSjNebJPH7ZbTxO75ahYZUEp6wFtTO7Jq"#,
            r#"SUPABASE_SERVICE_ROLE_KEY=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6Im5tZ3dta3h2eWhoZXpscnBleWlhIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoyMDAwMDAwMDAwfQ.YAQcPyGQ63GVMQahRcAHjhXcsWXRtsdbLFKAfF8-Auv"#,
        ],
        counter_examples: &[
            r#"eyJhbGciOiJIUzI1NiJ9.eyJub3QiOiJ2YWxpZA.short"#,
            r#"eyJub3RhIjoiand0In0.eyJub3RhIjoiand0In0.c2lnbmF0dXJlc2lnbmF0dXJlc2ln"#,
            // jwt.io's example token.
            r#"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"#,
        ],
        ..BASE
    },
];
