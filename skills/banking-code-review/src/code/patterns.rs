//! Rules that are one regex plus a context check: weak hashes and ciphers,
//! insecure randomness, TLS verification, deserialization, debug mode,
//! stack traces, CORS.

use super::*;
use crate::rules::*;
use kiro_guard_skill::rule::RuleDef;
use regex::Regex;
use std::sync::{LazyLock, OnceLock};

#[derive(Clone, Copy)]
enum Check {
    /// Every match in code.
    Always,
    /// Words around the call name a password, secret or signature.
    HashContext,
    /// Words around the call name a token, OTP, session id, key, ...
    RandomContext,
    /// The line contains one of these substrings.
    LineHas(&'static [&'static str]),
    /// The file contains one of these substrings.
    FileHas(&'static [&'static str]),
    /// `yaml.load` without a safe loader.
    YamlUnsafe,
    /// Not in a development/example settings file.
    NotDevPath,
    /// `UseDeveloperExceptionPage` not guarded by `IsDevelopment()`.
    NotDevGuarded,
    /// `readObject()` on an `ObjectInputStream` without a filter.
    ReadObject,
    /// Any-origin CORS marker, and credentials enabled in the same file.
    CorsCredentials(&'static [&'static str]),
    /// Python `CORS(...)` with supports_credentials and no explicit origins.
    FlaskCors,
    /// Go `math/rand` imported.
    GoMathRand,
}

struct P {
    rule: &'static RuleDef,
    fam: u8,
    /// A literal that must occur in the file for the regex to run.
    needle: &'static str,
    re: &'static str,
    check: Check,
    msg: &'static str,
}

const HASH_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "pass",
    "passphrase",
    "secret",
    "signature",
    "sign",
    "signing",
    "signed",
    "credential",
    "credentials",
    "pin",
    "otp",
    "passcode",
];
const RANDOM_WORDS: &[&str] = &[
    "token",
    "otp",
    "session",
    "sessionid",
    "sid",
    "key",
    "apikey",
    "secret",
    "password",
    "passwd",
    "pwd",
    "nonce",
    "salt",
    "pin",
    "csrf",
    "xsrf",
    "iv",
    "auth",
    "verification",
    "reset",
    "activation",
    "captcha",
    "challenge",
    "passcode",
    "tan",
    "cookie",
    "jwt",
];

use Check::*;

const CREDS_JS: &[&str] = &[
    "credentials: true",
    "credentials:true",
    "Allow-Credentials', 'true'",
    "Allow-Credentials\", \"true\"",
    "Allow-Credentials', true",
    "Allow-Credentials\", true",
];
const CREDS_JAVA: &[&str] = &[
    "allowCredentials(true)",
    "setAllowCredentials(true)",
    "allowCredentials = \"true\"",
    "allowCredentials=\"true\"",
    "Allow-Credentials\", \"true\"",
];
const CREDS_GO: &[&str] = &[
    "AllowCredentials: true",
    "AllowCredentials:true",
    "Allow-Credentials\", \"true\"",
];
const CREDS_CS: &[&str] = &[".AllowCredentials()"];
const CREDS_PY: &[&str] = &[
    "allow_credentials=True",
    "CORS_ALLOW_CREDENTIALS = True",
    "CORS_ALLOW_CREDENTIALS=True",
    "supports_credentials=True",
];

const TABLE: &[P] = &[
    // ---- weak-hash ----
    P {
        rule: &WEAK_HASH,
        fam: PY,
        needle: "hashlib",
        re: r#"\bhashlib\.(?:md5|sha1|new\s*\(\s*['"](?i:md5|sha1|sha-1)['"])"#,
        check: HashContext,
        msg: "MD5/SHA-1 digest of a password or signature input",
    },
    P {
        rule: &WEAK_HASH,
        fam: PY,
        needle: ".new",
        re: r"\b(?:MD5|SHA|SHA1)\.new\s*\(",
        check: HashContext,
        msg: "MD5/SHA-1 digest of a password or signature input",
    },
    P {
        rule: &WEAK_HASH,
        fam: JAVA,
        needle: "MessageDigest",
        re: r#"MessageDigest\.getInstance\s*\(\s*"(?i:md5|md2|sha-?1|sha)""#,
        check: HashContext,
        msg: "MD5/SHA-1 MessageDigest for a password or signature",
    },
    P {
        rule: &WEAK_HASH,
        fam: JAVA,
        needle: "DigestUtils",
        re: r"DigestUtils\.(?:md5|sha1|sha)(?:Hex)?\s*\(",
        check: HashContext,
        msg: "MD5/SHA-1 digest of a password or signature input",
    },
    P {
        rule: &WEAK_HASH,
        fam: JAVA,
        needle: "Signature",
        re: r#"Signature\.getInstance\s*\(\s*"(?i:md5|md2|sha1)with"#,
        check: Always,
        msg: "signature algorithm uses MD5/SHA-1",
    },
    P {
        rule: &WEAK_HASH,
        fam: JAVA,
        needle: "Hashing",
        re: r"Hashing\.(?:md5|sha1)\s*\(",
        check: HashContext,
        msg: "MD5/SHA-1 digest of a password or signature input",
    },
    P {
        rule: &WEAK_HASH,
        fam: JS,
        needle: "create",
        re: r#"\bcreate(?:Hash|Hmac)\s*\(\s*['"`](?i:md5|md4|sha1|sha-1)['"`]"#,
        check: HashContext,
        msg: "MD5/SHA-1 digest of a password or signature input",
    },
    P {
        rule: &WEAK_HASH,
        fam: JS,
        needle: "CryptoJS",
        re: r"CryptoJS\.(?:MD5|SHA1|HmacMD5|HmacSHA1)\s*\(",
        check: HashContext,
        msg: "MD5/SHA-1 digest of a password or signature input",
    },
    P {
        rule: &WEAK_HASH,
        fam: JS,
        needle: "md5(",
        re: r"\bmd5\s*\(",
        check: HashContext,
        msg: "MD5 digest of a password or signature input",
    },
    P {
        rule: &WEAK_HASH,
        fam: GO,
        needle: "",
        re: r"\b(?:md5|sha1)\.(?:Sum|New)\s*\(",
        check: HashContext,
        msg: "MD5/SHA-1 digest of a password or signature input",
    },
    P {
        rule: &WEAK_HASH,
        fam: CS,
        needle: "",
        re: r"\b(?:MD5|SHA1)\.(?:Create|HashData)\s*\(|\bnew\s+(?:MD5CryptoServiceProvider|SHA1CryptoServiceProvider|SHA1Managed|HMACMD5|HMACSHA1)\s*\(",
        check: HashContext,
        msg: "MD5/SHA-1 digest of a password or signature input",
    },
    P {
        rule: &WEAK_HASH,
        fam: CS,
        needle: "HashAlgorithmName",
        re: r"\b(?:Sign|Verify)(?:Data|Hash)\s*\([^;]*HashAlgorithmName\.(?:MD5|SHA1)",
        check: Always,
        msg: "signature uses MD5/SHA-1",
    },
    // ---- weak-cipher ----
    P {
        rule: &WEAK_CIPHER,
        fam: PY,
        needle: ".new",
        re: r"\b(?:DES|DES3|ARC4|ARC2|Blowfish|CAST)\.new\s*\(",
        check: Always,
        msg: "deprecated cipher (DES/3DES/RC4/RC2/Blowfish)",
    },
    P {
        rule: &WEAK_CIPHER,
        fam: PY,
        needle: "MODE_ECB",
        re: r"\bAES\.new\s*\([^)]*MODE_ECB",
        check: Always,
        msg: "AES in ECB mode",
    },
    P {
        rule: &WEAK_CIPHER,
        fam: PY,
        needle: "ECB",
        re: r"\bmodes\.ECB\s*\(",
        check: Always,
        msg: "ECB mode",
    },
    P {
        rule: &WEAK_CIPHER,
        fam: PY,
        needle: "algorithms",
        re: r"\balgorithms\.(?:TripleDES|ARC4|Blowfish|IDEA|CAST5|SEED)\s*\(",
        check: Always,
        msg: "deprecated cipher",
    },
    P {
        rule: &WEAK_CIPHER,
        fam: JAVA,
        needle: "Cipher",
        re: r#"Cipher\.getInstance\s*\(\s*"(?:(?:DES|DESede|TripleDES|3DES|RC4|ARCFOUR|RC2|Blowfish)(?:/[^"]*)?|AES|[A-Za-z0-9]+/ECB/[^"]*)""#,
        check: Always,
        msg: "deprecated cipher or ECB mode (\"AES\" alone defaults to ECB)",
    },
    P {
        rule: &WEAK_CIPHER,
        fam: JS,
        needle: "createCipher",
        re: r#"\bcreate(?:Cipher|Decipher)iv\s*\(\s*['"`](?i:des[^'"`]*|rc4[^'"`]*|rc2[^'"`]*|bf[^'"`]*|blowfish[^'"`]*|[a-z0-9\-]+-ecb)['"`]|\bcrypto\.create(?:Cipher|Decipher)\s*\("#,
        check: Always,
        msg: "deprecated cipher, ECB mode, or createCipher without an IV",
    },
    P {
        rule: &WEAK_CIPHER,
        fam: JS,
        needle: "CryptoJS",
        re: r"CryptoJS\.(?:DES|TripleDES|RC4|RC4Drop|Rabbit)\.(?:encrypt|decrypt)|CryptoJS\.mode\.ECB",
        check: Always,
        msg: "deprecated cipher or ECB mode",
    },
    P {
        rule: &WEAK_CIPHER,
        fam: GO,
        needle: "NewCipher",
        re: r"\b(?:des\.NewCipher|des\.NewTripleDESCipher|rc4\.NewCipher|blowfish\.NewCipher)\s*\(",
        check: Always,
        msg: "deprecated cipher (DES/3DES/RC4/Blowfish)",
    },
    P {
        rule: &WEAK_CIPHER,
        fam: GO,
        needle: "NewTripleDESCipher",
        re: r"\bdes\.NewTripleDESCipher\s*\(",
        check: Always,
        msg: "3DES cipher",
    },
    P {
        rule: &WEAK_CIPHER,
        fam: CS,
        needle: "",
        re: r"\b(?:DES|TripleDES|RC2)\.Create\s*\(|\bnew\s+(?:DESCryptoServiceProvider|TripleDESCryptoServiceProvider|RC2CryptoServiceProvider)\s*\(|CipherMode\.ECB\b",
        check: Always,
        msg: "deprecated cipher or ECB mode",
    },
    // ---- insecure-random ----
    P {
        rule: &INSECURE_RANDOM,
        fam: PY,
        needle: "random.",
        re: r"\brandom\.(?:random|randint|randrange|choice|choices|sample|getrandbits|uniform|shuffle)\s*\(",
        check: RandomContext,
        msg: "`random` (Mersenne Twister) used for a security value",
    },
    P {
        rule: &INSECURE_RANDOM,
        fam: JAVA,
        needle: "Random",
        re: r"\bnew\s+Random\s*\(|\bThreadLocalRandom\.current\s*\(|\bRandomStringUtils\.random\w*\s*\(|\bRandom\.next\w+\s*\(|\bRandom\.Default\b",
        check: RandomContext,
        msg: "java.util.Random used for a security value",
    },
    P {
        rule: &INSECURE_RANDOM,
        fam: JAVA | JS,
        needle: "Math.random",
        re: r"\bMath\.random\s*\(",
        check: RandomContext,
        msg: "Math.random() used for a security value",
    },
    P {
        rule: &INSECURE_RANDOM,
        fam: GO,
        needle: "rand.",
        re: r"\brand\.(?:Intn|Int63|Int31|Int31n|Int63n|Float64|Float32|Perm|Shuffle|Uint32|Uint64|Int|Read|New|Seed)\s*\(",
        check: GoMathRand,
        msg: "math/rand used for a security value",
    },
    P {
        rule: &INSECURE_RANDOM,
        fam: CS,
        needle: "Random",
        re: r"\bnew\s+Random\s*\(|\bRandom\.Shared\b",
        check: RandomContext,
        msg: "System.Random used for a security value",
    },
    // ---- tls-verification-disabled ----
    P {
        rule: &TLS_VERIFICATION_DISABLED,
        fam: PY,
        needle: "verify",
        re: r"\bverify\s*=\s*False\b",
        check: Always,
        msg: "TLS certificate verification disabled (verify=False)",
    },
    P {
        rule: &TLS_VERIFICATION_DISABLED,
        fam: PY,
        needle: "ssl",
        re: r"\bssl\._create_unverified_context\b|\b(?:cert_reqs|verify_mode)\s*=\s*(?:ssl\.)?CERT_NONE\b|\bcheck_hostname\s*=\s*False\b",
        check: Always,
        msg: "TLS certificate or host-name verification disabled",
    },
    P {
        rule: &TLS_VERIFICATION_DISABLED,
        fam: PY,
        needle: "SSL_VERIFY",
        re: r"\bSSL_VERIFY(?:PEER|HOST)\s*,\s*(?:0|False)\b",
        check: Always,
        msg: "curl TLS verification disabled",
    },
    P {
        rule: &TLS_VERIFICATION_DISABLED,
        fam: JS,
        needle: "rejectUnauthorized",
        re: r#"\brejectUnauthorized['"]?\s*:\s*false\b"#,
        check: Always,
        msg: "TLS certificate verification disabled (rejectUnauthorized: false)",
    },
    P {
        rule: &TLS_VERIFICATION_DISABLED,
        fam: JS,
        needle: "NODE_TLS_REJECT_UNAUTHORIZED",
        re: r#"NODE_TLS_REJECT_UNAUTHORIZED['"]?\s*\]?\s*=\s*['"`]?0"#,
        check: Always,
        msg: "TLS verification disabled process-wide (NODE_TLS_REJECT_UNAUTHORIZED=0)",
    },
    P {
        rule: &TLS_VERIFICATION_DISABLED,
        fam: JS,
        needle: "strictSSL",
        re: r"\bstrictSSL\s*:\s*false\b",
        check: Always,
        msg: "TLS verification disabled (strictSSL: false)",
    },
    P {
        rule: &TLS_VERIFICATION_DISABLED,
        fam: GO,
        needle: "InsecureSkipVerify",
        re: r"\bInsecureSkipVerify\s*:\s*true\b",
        check: Always,
        msg: "TLS verification disabled (InsecureSkipVerify: true)",
    },
    P {
        rule: &TLS_VERIFICATION_DISABLED,
        fam: JAVA,
        needle: "",
        re: r"\bNoopHostnameVerifier\b|\bALLOW_ALL_HOSTNAME_VERIFIER\b|\bTrustAllStrategy\b|\bTrustAllCerts?\b|\btrustAllCerts\b",
        check: Always,
        msg: "trust-all certificate or host-name verifier",
    },
    P {
        rule: &TLS_VERIFICATION_DISABLED,
        fam: JAVA,
        needle: "checkServerTrusted",
        re: r"checkServerTrusted\s*\([^)]*\)\s*(?::\s*Unit\s*)?(?:throws\s+[\w.,\s]+)?(?:\{\s*(?:return;?\s*)?\}|=\s*Unit\b|=\s*\{\s*\})",
        check: Always,
        msg: "X509TrustManager that trusts every certificate",
    },
    P {
        rule: &TLS_VERIFICATION_DISABLED,
        fam: JAVA,
        needle: "erifier",
        re: r"(?:setHostnameVerifier|setDefaultHostnameVerifier|hostnameVerifier)\s*[({]\s*\(?\s*\w*\s*,?\s*\w*\s*\)?\s*->\s*true\b|\bboolean\s+verify\s*\([^)]*\)\s*\{\s*return\s+true\s*;",
        check: Always,
        msg: "host-name verifier that accepts every host",
    },
    P {
        rule: &TLS_VERIFICATION_DISABLED,
        fam: CS,
        needle: "ValidationCallback",
        re: r"ServerCertificate(?:Custom)?ValidationCallback\s*\+?=\s*[^;]*?=>\s*true\b",
        check: Always,
        msg: "certificate validation callback that accepts every certificate",
    },
    P {
        rule: &TLS_VERIFICATION_DISABLED,
        fam: CS,
        needle: "DangerousAcceptAnyServerCertificateValidator",
        re: r"DangerousAcceptAnyServerCertificateValidator",
        check: Always,
        msg: "certificate validation disabled",
    },
    P {
        rule: &TLS_VERIFICATION_DISABLED,
        fam: ALL_CODE,
        needle: "CURLOPT_SSL_VERIFY",
        re: r"CURLOPT_SSL_VERIFY(?:PEER|HOST)\s*,\s*(?:0L?|false|FALSE)\b",
        check: Always,
        msg: "curl TLS verification disabled",
    },
    // ---- insecure-deserialization ----
    P {
        rule: &INSECURE_DESERIALIZATION,
        fam: PY,
        needle: "",
        re: r"\b(?:pickle|cPickle|_pickle|dill|jsonpickle|marshal)\.(?:loads?|Unpickler|decode)\s*\(|\bpandas\.read_pickle\s*\(|\bpd\.read_pickle\s*\(|\byaml\.unsafe_load(?:_all)?\s*\(",
        check: Always,
        msg: "deserialization that can run arbitrary code (pickle/marshal/unsafe YAML)",
    },
    P {
        rule: &INSECURE_DESERIALIZATION,
        fam: PY,
        needle: "yaml.load",
        re: r"\byaml\.load(?:_all)?\s*\(",
        check: YamlUnsafe,
        msg: "yaml.load without SafeLoader",
    },
    P {
        rule: &INSECURE_DESERIALIZATION,
        fam: JAVA,
        needle: "readObject",
        re: r"\.readObject\s*\(\s*\)",
        check: ReadObject,
        msg: "ObjectInputStream.readObject without a deserialization filter",
    },
    P {
        rule: &INSECURE_DESERIALIZATION,
        fam: JAVA,
        needle: "",
        re: r"\bnew\s+XMLDecoder\s*\(|\bXStream\s*\(\s*\)[^;]*\.fromXML\s*\(|\bxstream\.fromXML\s*\(|\benableDefaultTyping\s*\(|\bnew\s+Yaml\s*\(\s*\)\s*\.load\s*\(",
        check: Always,
        msg: "deserialization of arbitrary types",
    },
    P {
        rule: &INSECURE_DESERIALIZATION,
        fam: CS,
        needle: "",
        re: r"\bnew\s+(?:BinaryFormatter|NetDataContractSerializer|LosFormatter|SoapFormatter|ObjectStateFormatter)\s*\(|TypeNameHandling\s*=\s*TypeNameHandling\.(?:All|Auto|Objects|Arrays)\b|new\s+JavaScriptSerializer\s*\(\s*new\s+SimpleTypeResolver",
        check: Always,
        msg: "deserializer that instantiates arbitrary types (BinaryFormatter, TypeNameHandling)",
    },
    P {
        rule: &INSECURE_DESERIALIZATION,
        fam: JS,
        needle: "unserialize",
        re: r"\bunserialize\s*\(",
        check: FileHas(&["node-serialize", "serialize-javascript", "funcster"]),
        msg: "node-serialize unserialize runs embedded functions",
    },
    // ---- debug-enabled ----
    P {
        rule: &DEBUG_ENABLED,
        fam: PY,
        needle: "DEBUG",
        re: r"(?m)^\s*DEBUG\s*=\s*True\b|app\.config\[\s*['\x22]DEBUG['\x22]\s*\]\s*=\s*True",
        check: NotDevPath,
        msg: "DEBUG = True in application settings",
    },
    P {
        rule: &DEBUG_ENABLED,
        fam: PY,
        needle: "debug",
        re: r"\.run\s*\([^)]*\bdebug\s*=\s*True|\bapp\.debug\s*=\s*True",
        check: NotDevPath,
        msg: "web framework started with debug=True",
    },
    P {
        rule: &DEBUG_ENABLED,
        fam: GO,
        needle: "DebugMode",
        re: r"gin\.SetMode\s*\(\s*gin\.DebugMode\s*\)",
        check: NotDevPath,
        msg: "gin debug mode",
    },
    P {
        rule: &DEBUG_ENABLED,
        fam: JAVA,
        needle: "setWebContentsDebuggingEnabled",
        re: r"setWebContentsDebuggingEnabled\s*\(\s*true",
        check: NotDevPath,
        msg: "WebView debugging enabled",
    },
    P {
        rule: &DEBUG_ENABLED,
        fam: JS,
        needle: "development",
        re: r#"app\.set\s*\(\s*['"]env['"]\s*,\s*['"]development['"]|process\.env\.NODE_ENV\s*=\s*['"]development['"]"#,
        check: NotDevPath,
        msg: "application forced into development mode",
    },
    P {
        rule: &DEBUG_ENABLED,
        fam: CONF,
        needle: "",
        re: r#"(?im)^\s*(?:debug|spring\.devtools\.restart\.enabled)\s*[=:]\s*true\s*$|(?im)^\s*(?:FLASK_DEBUG|DJANGO_DEBUG|APP_DEBUG|DEBUG)\s*=\s*['"]?(?:1|true)['"]?\s*$|<compilation\b[^>]*\bdebug\s*=\s*"true""#,
        check: NotDevPath,
        msg: "debug mode enabled in configuration",
    },
    // ---- stack-trace-exposed ----
    P {
        rule: &STACK_TRACE_EXPOSED,
        fam: PY,
        needle: "traceback",
        re: r"\btraceback\.format_exc\s*\(\s*\)|\btraceback\.print_exc\s*\(\s*file\s*=",
        check: LineHas(&[
            "return",
            "jsonify",
            "Response(",
            "make_response",
            "render",
            "JsonResponse",
            "abort(",
            ".write(",
        ]),
        msg: "stack trace returned in the response",
    },
    P {
        rule: &STACK_TRACE_EXPOSED,
        fam: PY,
        needle: "return",
        re: r"\breturn\s+(?:jsonify|JsonResponse|HttpResponse|JSONResponse|Response|make_response)\s*\([^\n]*\b(?:str|repr)\s*\(\s*(?:e|ex|exc|err|error|exception)\s*\)",
        check: Always,
        msg: "exception detail returned in the response",
    },
    P {
        rule: &STACK_TRACE_EXPOSED,
        fam: JAVA,
        needle: "printStackTrace",
        re: r"\.printStackTrace\s*\(\s*(?:(?:response|resp|res)\.getWriter\s*\(\s*\)|new\s+PrintWriter\s*\(\s*(?:response|resp|res)\b)",
        check: Always,
        msg: "stack trace written to the HTTP response",
    },
    P {
        rule: &STACK_TRACE_EXPOSED,
        fam: JAVA,
        needle: "StackTrace",
        re: r"\b(?:ExceptionUtils\.getStackTrace|Throwables\.getStackTraceAsString)\s*\(|\.getStackTrace\s*\(\s*\)",
        check: LineHas(&[
            "ResponseEntity",
            ".body(",
            "getWriter",
            "return ",
            ".entity(",
        ]),
        msg: "stack trace returned in the response",
    },
    P {
        rule: &STACK_TRACE_EXPOSED,
        fam: JS,
        needle: ".stack",
        re: r"\b(?:err|error|e|ex|exception)\.stack\b",
        check: LineHas(&["res.", "response.", "ctx.body", "reply."]),
        msg: "stack trace returned in the response",
    },
    P {
        rule: &STACK_TRACE_EXPOSED,
        fam: GO,
        needle: "debug.Stack",
        re: r"\bdebug\.Stack\s*\(\s*\)",
        check: LineHas(&[
            "w.Write",
            "Fprint",
            "http.Error",
            "c.JSON",
            "c.String",
            "c.Data",
        ]),
        msg: "stack trace written to the HTTP response",
    },
    P {
        rule: &STACK_TRACE_EXPOSED,
        fam: CS,
        needle: "",
        re: r"\b(?:ex|e|exception|err)\.(?:StackTrace|ToString\s*\(\s*\))",
        check: LineHas(&[
            "return ",
            "Ok(",
            "BadRequest(",
            "StatusCode(",
            "Content(",
            "Json(",
            "Problem(",
            "WriteAsync(",
        ]),
        msg: "exception detail returned in the response",
    },
    P {
        rule: &STACK_TRACE_EXPOSED,
        fam: CS,
        needle: "UseDeveloperExceptionPage",
        re: r"\bUseDeveloperExceptionPage\s*\(\s*\)",
        check: NotDevGuarded,
        msg: "developer exception page not limited to the Development environment",
    },
    P {
        rule: &STACK_TRACE_EXPOSED,
        fam: CONF,
        needle: "",
        re: r#"(?i)include-stacktrace\s*[=:]\s*always|<customErrors\b[^>]*\bmode\s*=\s*"Off"|includeExceptionDetailInFaults\s*=\s*"true""#,
        check: Always,
        msg: "stack traces shown to users by configuration",
    },
    // ---- cors-allow-all-credentials ----
    P {
        rule: &CORS_ALLOW_ALL_CREDENTIALS,
        fam: PY,
        needle: "",
        re: r#"\ballow_origins\s*=\s*\[\s*['"]\*['"]\s*\]|\bCORS_(?:ORIGIN_ALLOW_ALL|ALLOW_ALL_ORIGINS)\s*=\s*True|\borigins\s*=\s*['"]\*['"]|\borigins\s*=\s*\[\s*['"]\*['"]\s*\]"#,
        check: CorsCredentials(CREDS_PY),
        msg: "CORS allows any origin with credentials",
    },
    P {
        rule: &CORS_ALLOW_ALL_CREDENTIALS,
        fam: PY,
        needle: "supports_credentials",
        re: r"\bCORS\s*\(",
        check: FlaskCors,
        msg: "Flask-CORS with credentials and the default any-origin policy",
    },
    P {
        rule: &CORS_ALLOW_ALL_CREDENTIALS,
        fam: JS,
        needle: "",
        re: r#"\borigin\s*:\s*(?:['"`]\*['"`]|true)\b|\borigin\s*:\s*['"`]\*['"`]|Access-Control-Allow-Origin['"`]\s*,\s*(?:['"`]\*['"`]|req\.headers\.origin|req\.get\s*\(\s*['"]origin|request\.headers\.origin)"#,
        check: CorsCredentials(CREDS_JS),
        msg: "CORS allows any origin with credentials",
    },
    P {
        rule: &CORS_ALLOW_ALL_CREDENTIALS,
        fam: JAVA,
        needle: "",
        re: r#"\b(?:allowedOrigins|allowedOriginPatterns|addAllowedOrigin|addAllowedOriginPattern)\s*\(\s*"\*"\s*\)|\b(?:origins|originPatterns|value)\s*=\s*"\*"|setAllowedOrigins\s*\(\s*(?:List\.of|Arrays\.asList|listOf)\s*\(\s*"\*"\s*\)\s*\)|Access-Control-Allow-Origin"\s*,\s*(?:"\*"|request\.getHeader\s*\(\s*"Origin"\s*\))"#,
        check: CorsCredentials(CREDS_JAVA),
        msg: "CORS allows any origin with credentials",
    },
    P {
        rule: &CORS_ALLOW_ALL_CREDENTIALS,
        fam: GO,
        needle: "",
        re: r#"\bAllowAllOrigins\s*:\s*true|\bAllow(?:ed)?Origins\s*:\s*\[\]string\s*\{\s*"\*"\s*\}|Access-Control-Allow-Origin"\s*,\s*(?:"\*"|r\.Header\.Get\s*\(\s*"Origin"\s*\))"#,
        check: CorsCredentials(CREDS_GO),
        msg: "CORS allows any origin with credentials",
    },
    P {
        rule: &CORS_ALLOW_ALL_CREDENTIALS,
        fam: CS,
        needle: "",
        re: r"\.AllowAnyOrigin\s*\(\s*\)|\.SetIsOriginAllowed\s*\(\s*\(?\s*_?\w*\s*\)?\s*=>\s*true\s*\)",
        check: CorsCredentials(CREDS_CS),
        msg: "CORS allows any origin with credentials",
    },
];

static COMPILED: LazyLock<Vec<OnceLock<Regex>>> =
    LazyLock::new(|| TABLE.iter().map(|_| OnceLock::new()).collect());

fn regex(i: usize) -> &'static Regex {
    COMPILED[i].get_or_init(|| {
        kiro_guard_skill::ascii_regex::regex(TABLE[i].re)
            .unwrap_or_else(|e| panic!("{}: {e}", TABLE[i].rule.id))
    })
}

/// Each rule's needle as a literal regex: the gate (`super::GATE`) reports
/// which needles occur (ASCII case-insensitively, a superset of the exact
/// needle; the rule's own regex then decides), in the same pass that finds
/// where each rule's regex can match.
static NEEDLES: LazyLock<Vec<Option<Regex>>> = LazyLock::new(|| {
    TABLE
        .iter()
        .map(|p| (!p.needle.is_empty()).then(|| Regex::new(&regex::escape(p.needle)).unwrap()))
        .collect()
});

/// The regexes and needles of this module, for the gate.
pub(super) fn gated() -> Vec<&'static Regex> {
    let mut v: Vec<&'static Regex> = (0..TABLE.len()).map(regex).collect();
    v.extend(NEEDLES.iter().flatten());
    v
}

/// Run the table, except rules whose id is in `skip`.
pub fn scan(src: &Src, hits: &mut Vec<Hit>, skip: &[&str]) {
    for (i, p) in TABLE.iter().enumerate() {
        if p.fam & src.fam == 0 || skip.contains(&p.rule.id) {
            continue;
        }
        if let Some(needle) = &NEEDLES[i]
            && !src.is_match(needle)
        {
            continue;
        }
        for m in src.find_iter(regex(i)) {
            // Skip leading whitespace or punctuation the regex consumed.
            let mut start = m.start();
            while start < m.end()
                && !src.code.as_bytes()[start].is_ascii_alphanumeric()
                && src.code.as_bytes()[start] != b'_'
                && src.code.as_bytes()[start] != b'.'
            {
                start += 1;
            }
            if src.fam != CONF && !src.in_code(start) {
                continue;
            }
            if p.needle == "md5(" && after_dot(&src.code, start) {
                continue;
            }
            if check(src, p.check, start, m.end()) {
                hits.push(src.hit(p.rule, start, m.end(), p.msg));
            }
        }
    }
}

fn check(src: &Src, c: Check, s: usize, e: usize) -> bool {
    match c {
        Always => true,
        HashContext => {
            let line = &src.code[src.line_start(s)..src.line_end(s)];
            if line.contains("usedforsecurity=False") || line.contains("usedforsecurity = False") {
                return false;
            }
            let words = src.context_words(s, 2, 3);
            words.iter().any(|w| HASH_WORDS.contains(&w.as_str()))
        }
        RandomContext => random_context(src, s),
        GoMathRand => {
            if !(src.code.contains("\"math/rand\"") || src.code.contains("\"math/rand/v2\"")) {
                return false;
            }
            // rand.Read / rand.Int exist in crypto/rand too: only math/rand's.
            let name = &src.code[s..e];
            let ambiguous = name.contains(".Read") || name.contains(".Int(");
            !(ambiguous && src.code.contains("\"crypto/rand\"")) && random_context(src, s)
        }
        LineHas(words) => {
            let line = &src.code[src.line_start(s)..src.line_end(s)];
            words.iter().any(|w| line.contains(w))
        }
        FileHas(words) => words.iter().any(|w| src.code.contains(w)),
        YamlUnsafe => {
            let open = src.code[s..e].rfind('(').map(|p| s + p).unwrap_or(e);
            let (_, close) = src.args(open);
            let args = &src.code[open..close];
            !(args.contains("SafeLoader")
                || args.contains("CSafeLoader")
                || args.contains("BaseLoader"))
        }
        NotDevPath => not_dev_path(src.path),
        NotDevGuarded => {
            let from = src.line_start(s).saturating_sub(300);
            !src.code[from..s].contains("IsDevelopment")
        }
        ReadObject => {
            src.code.contains("ObjectInputStream")
                && !src.code.contains("ObjectInputFilter")
                && !src.code.contains("resolveClass")
                && !src.code[src.line_start(s)..s].contains("void ")
        }
        CorsCredentials(words) => words.iter().any(|w| src.code.contains(w)),
        FlaskCors => {
            let open = s + src.code[s..e].find('(').unwrap_or(0);
            let (_, close) = src.args(open);
            let args = &src.code[open..close];
            args.contains("supports_credentials=True")
                && (!args.contains("origins") || args.contains("\"*\"") || args.contains("'*'"))
        }
    }
}

fn random_context(src: &Src, s: usize) -> bool {
    src.context_words(s, 0, 0)
        .iter()
        .any(|w| RANDOM_WORDS.contains(&w.as_str()))
}

/// Development, local, test or example settings files are allowed debug
/// (`settings_dev.py`, `application-local.properties`, `.env.development`).
fn not_dev_path(path: &str) -> bool {
    !path
        .split(|c: char| !c.is_ascii_alphanumeric())
        .map(|w| w.to_ascii_lowercase())
        .any(|w| {
            matches!(
                w.as_str(),
                "dev"
                    | "development"
                    | "local"
                    | "test"
                    | "tests"
                    | "testing"
                    | "example"
                    | "examples"
                    | "sample"
                    | "samples"
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::testutil::rules_in;

    #[test]
    fn every_regex_compiles() {
        for i in 0..TABLE.len() {
            regex(i);
        }
    }

    #[test]
    fn table_cases() {
        // (path, code, expected rule or "" for none)
        let cases: &[(&str, &str, &str)] = &[
            // weak-hash
            (
                "a.py",
                "h = hashlib.md5(password.encode()).hexdigest()",
                "weak-hash",
            ),
            // MD5 is a warning wherever it is not marked not-for-security
            // (the semantic engine's policy for Python and Java).
            ("a.py", "etag = hashlib.md5(body).hexdigest()", "weak-hash"),
            (
                "a.py",
                "etag = hashlib.md5(body, usedforsecurity=False).hexdigest()",
                "",
            ),
            (
                "a.py",
                "h = hashlib.md5(password, usedforsecurity=False)",
                "",
            ),
            ("a.py", "# hashlib.md5(password)", ""),
            (
                "A.java",
                "MessageDigest md = MessageDigest.getInstance(\"MD5\");\nmd.update(password.getBytes());",
                "weak-hash",
            ),
            (
                "A.java",
                "MessageDigest md = MessageDigest.getInstance(\"SHA-256\");\nmd.update(password.getBytes());",
                "",
            ),
            (
                "A.java",
                "Signature s = Signature.getInstance(\"SHA1withRSA\");",
                "weak-hash",
            ),
            (
                "a.js",
                "const h = crypto.createHash('md5').update(password).digest('hex');",
                "weak-hash",
            ),
            (
                "a.js",
                "const etag = crypto.createHash('md5').update(body).digest('hex');",
                "",
            ),
            ("a.go", "sum := md5.Sum([]byte(password))", "weak-hash"),
            ("a.go", "sum := sha256.Sum256([]byte(password))", ""),
            (
                "A.cs",
                "var h = MD5.Create().ComputeHash(Encoding.UTF8.GetBytes(password));",
                "weak-hash",
            ),
            // weak-cipher
            ("a.py", "c = DES.new(key, DES.MODE_CBC, iv)", "weak-cipher"),
            ("a.py", "c = AES.new(key, AES.MODE_ECB)", "weak-cipher"),
            ("a.py", "c = AES.new(key, AES.MODE_GCM)", ""),
            (
                "A.java",
                "Cipher c = Cipher.getInstance(\"AES\");",
                "weak-cipher",
            ),
            (
                "A.java",
                "Cipher c = Cipher.getInstance(\"AES/GCM/NoPadding\");",
                "",
            ),
            (
                "A.java",
                "Cipher c = Cipher.getInstance(\"DESede/CBC/PKCS5Padding\");",
                "weak-cipher",
            ),
            (
                "a.ts",
                "const c = crypto.createCipheriv('aes-128-ecb', key, null);",
                "weak-cipher",
            ),
            (
                "a.ts",
                "const c = crypto.createCipheriv('aes-256-gcm', key, iv);",
                "",
            ),
            (
                "a.go",
                "block, _ := des.NewTripleDESCipher(key)",
                "weak-cipher",
            ),
            (
                "A.cs",
                "var aes = Aes.Create(); aes.Mode = CipherMode.ECB;",
                "weak-cipher",
            ),
            // insecure-random
            (
                "a.py",
                "otp = random.randint(100000, 999999)",
                "insecure-random",
            ),
            ("a.py", "delay = random.uniform(0.1, 0.5)", ""),
            (
                "a.py",
                "def make_session_id():\n    return ''.join(random.choice(ALPHABET) for _ in range(32))",
                "insecure-random",
            ),
            (
                "A.java",
                "public String generateOtp() {\n    Random r = new Random();\n    return String.format(\"%06d\", r.nextInt(1000000));\n}",
                "insecure-random",
            ),
            ("A.java", "Random jitter = new Random();", ""),
            (
                "a.js",
                "const token = Math.random().toString(36).slice(2);",
                "insecure-random",
            ),
            ("a.js", "const x = Math.random() * width;", ""),
            (
                "a.go",
                "import \"math/rand\"\nfunc f() { token := rand.Intn(1000000) }",
                "insecure-random",
            ),
            (
                "a.go",
                "import \"crypto/rand\"\nfunc f() { _, err := rand.Read(token) }",
                "",
            ),
            (
                "A.cs",
                "var resetToken = new Random().Next().ToString();",
                "insecure-random",
            ),
            // tls
            (
                "a.py",
                "r = requests.get(url, verify=False)",
                "tls-verification-disabled",
            ),
            ("a.py", "r = requests.get(url, verify=True)", ""),
            (
                "a.js",
                "const agent = new https.Agent({ rejectUnauthorized: false });",
                "tls-verification-disabled",
            ),
            (
                "a.go",
                "cfg := &tls.Config{InsecureSkipVerify: true}",
                "tls-verification-disabled",
            ),
            (
                "a.go",
                "cfg := &tls.Config{MinVersion: tls.VersionTLS12}",
                "",
            ),
            (
                "A.java",
                "public void checkServerTrusted(X509Certificate[] c, String a) {}",
                "tls-verification-disabled",
            ),
            (
                "A.java",
                "conn.setHostnameVerifier((h, s) -> true);",
                "tls-verification-disabled",
            ),
            (
                "A.cs",
                "handler.ServerCertificateCustomValidationCallback = (m, c, ch, e) => true;",
                "tls-verification-disabled",
            ),
            // deserialization
            (
                "a.py",
                "obj = pickle.loads(request.data)",
                "insecure-deserialization",
            ),
            ("a.py", "cfg = yaml.load(f)", "insecure-deserialization"),
            ("a.py", "cfg = yaml.load(f, Loader=yaml.SafeLoader)", ""),
            ("a.py", "cfg = yaml.safe_load(f)", ""),
            (
                "A.java",
                "ObjectInputStream in = new ObjectInputStream(s);\nObject o = in.readObject();",
                "insecure-deserialization",
            ),
            (
                "A.cs",
                "var f = new BinaryFormatter();",
                "insecure-deserialization",
            ),
            (
                "A.cs",
                "var s = new JsonSerializerSettings { TypeNameHandling = TypeNameHandling.All };",
                "insecure-deserialization",
            ),
            // debug
            ("app/settings.py", "DEBUG = True", "debug-enabled"),
            ("app/settings_dev.py", "DEBUG = True", ""),
            (
                "app.py",
                "app.run(host='0.0.0.0', debug=True)",
                "debug-enabled",
            ),
            (
                "app.py",
                "app.run(debug=os.getenv('FLASK_DEBUG') == '1')",
                "",
            ),
            (
                "src/main/resources/application.properties",
                "debug=true",
                "debug-enabled",
            ),
            (".env.production", "FLASK_DEBUG=1", "debug-enabled"),
            ("main.go", "gin.SetMode(gin.DebugMode)", "debug-enabled"),
            // stack traces
            (
                "a.py",
                "    return jsonify(error=traceback.format_exc()), 500",
                "stack-trace-exposed",
            ),
            ("a.py", "    logger.error(traceback.format_exc())", ""),
            (
                "a.js",
                "  res.status(500).send(err.stack);",
                "stack-trace-exposed",
            ),
            ("a.js", "  logger.error(err.stack);", ""),
            (
                "A.cs",
                "    return BadRequest(ex.ToString());",
                "stack-trace-exposed",
            ),
            (
                "A.cs",
                "if (env.IsDevelopment())\n{\n    app.UseDeveloperExceptionPage();\n}",
                "",
            ),
            (
                "A.cs",
                "app.UseDeveloperExceptionPage();",
                "stack-trace-exposed",
            ),
            // cors
            (
                "a.js",
                "app.use(cors({ origin: '*', credentials: true }));",
                "cors-allow-all-credentials",
            ),
            (
                "a.js",
                "app.use(cors({ origin: ['https://app.bank.sg'], credentials: true }));",
                "",
            ),
            (
                "a.py",
                "CORS(app, supports_credentials=True)",
                "cors-allow-all-credentials",
            ),
            (
                "a.py",
                "CORS(app, origins=['https://app.bank.sg'], supports_credentials=True)",
                "",
            ),
            (
                "A.java",
                "registry.addMapping(\"/**\").allowedOrigins(\"*\").allowCredentials(true);",
                "cors-allow-all-credentials",
            ),
            (
                "A.java",
                "registry.addMapping(\"/**\").allowedOrigins(\"*\");",
                "",
            ),
            (
                "a.go",
                "cors.New(cors.Config{AllowAllOrigins: true, AllowCredentials: true})",
                "cors-allow-all-credentials",
            ),
            (
                "A.cs",
                "p.AllowAnyOrigin().AllowAnyHeader().AllowCredentials();",
                "cors-allow-all-credentials",
            ),
            (
                "A.cs",
                "p.WithOrigins(\"https://app.bank.sg\").AllowCredentials();",
                "",
            ),
        ];
        let mut failures = Vec::new();
        for (path, code, want) in cases {
            let got = rules_in(path, code);
            let ok = if want.is_empty() {
                got.is_empty()
            } else {
                got.contains(want)
            };
            if !ok {
                failures.push(format!("{path}: {code:?} want {want:?} got {got:?}"));
            }
        }
        assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    }
}
