//! A labelled corpus of insecure/safe pairs, generated from templates at run
//! time (token-shaped values are assembled here, never committed).
//!
//! Shared by `tests/corpus.rs` and `examples/bcr_dump_corpus.rs` (both via `#[path]`).

#![allow(dead_code)]

/// One sample file.
#[derive(Debug, Clone)]
pub struct Sample {
    /// Rule id the pair is about.
    pub category: &'static str,
    /// True for the insecure half of the pair.
    pub insecure: bool,
    /// Relative path (decides the language).
    pub path: String,
    pub text: String,
}

/// Name variants: (snake, camel, Pascal).
const NAMES: &[(&str, &str, &str)] = &[
    ("user_id", "userId", "UserId"),
    ("branch_code", "branchCode", "BranchCode"),
    ("cust_name", "custName", "CustName"),
    ("ref_code", "refCode", "RefCode"),
];
const TABLES: &[&str] = &["users", "accounts", "customers", "transfers"];

fn ext(lang: &str) -> &'static str {
    match lang {
        "py" => "py",
        "java" => "java",
        "kt" => "kt",
        "js" => "js",
        "ts" => "ts",
        "go" => "go",
        "cs" => "cs",
        "env" => "env",
        "yml" => "yml",
        "json" => "json",
        "properties" => "properties",
        _ => "txt",
    }
}

/// Templates: (category, lang, insecure, safe). Placeholders: `{v}` snake
/// name, `{V}` camel name, `{P}` Pascal name, `{T}` table.
const TEMPLATES: &[(&str, &str, &str, &str)] = &[
    // ---------------- sql-injection ----------------
    (
        "sql-injection",
        "py",
        "def find(cursor, {v}):\n    cursor.execute(\"SELECT * FROM {T} WHERE {v} = '\" + {v} + \"'\")\n    return cursor.fetchall()\n",
        "def find(cursor, {v}):\n    cursor.execute(\"SELECT * FROM {T} WHERE {v} = %s\", ({v},))\n    return cursor.fetchall()\n",
    ),
    (
        "sql-injection",
        "py",
        "def find(conn, {v}):\n    query = f\"SELECT id, name FROM {T} WHERE {v} = '{{{v}}}'\"\n    cur = conn.cursor()\n    cur.execute(query)\n    return cur.fetchone()\n",
        "def find(conn, {v}):\n    query = \"SELECT id, name FROM {T} WHERE {v} = ?\"\n    cur = conn.cursor()\n    cur.execute(query, ({v},))\n    return cur.fetchone()\n",
    ),
    (
        "sql-injection",
        "java",
        "public List<Row> find(Connection conn, String {V}) throws SQLException {\n    Statement st = conn.createStatement();\n    String sql = \"SELECT * FROM {T} WHERE {v} = '\" + {V} + \"'\";\n    return map(st.executeQuery(sql));\n}\n",
        "public List<Row> find(Connection conn, String {V}) throws SQLException {\n    PreparedStatement ps = conn.prepareStatement(\"SELECT * FROM {T} WHERE {v} = ?\");\n    ps.setString(1, {V});\n    return map(ps.executeQuery());\n}\n",
    ),
    (
        "sql-injection",
        "js",
        "async function find(db, {V}) {\n  const rows = await db.query(`SELECT * FROM {T} WHERE {v} = '${{{V}}}'`);\n  return rows;\n}\n",
        "async function find(db, {V}) {\n  const rows = await db.query('SELECT * FROM {T} WHERE {v} = $1', [{V}]);\n  return rows;\n}\n",
    ),
    (
        "sql-injection",
        "go",
        "func find(db *sql.DB, {V} string) (*sql.Rows, error) {\n\tq := fmt.Sprintf(\"SELECT * FROM {T} WHERE {v} = '%s'\", {V})\n\treturn db.Query(q)\n}\n",
        "func find(db *sql.DB, {V} string) (*sql.Rows, error) {\n\treturn db.Query(\"SELECT * FROM {T} WHERE {v} = $1\", {V})\n}\n",
    ),
    (
        "sql-injection",
        "cs",
        "public SqlDataReader Find(SqlConnection conn, string {V})\n{\n    var cmd = new SqlCommand(\"SELECT * FROM {T} WHERE {v} = '\" + {V} + \"'\", conn);\n    return cmd.ExecuteReader();\n}\n",
        "public SqlDataReader Find(SqlConnection conn, string {V})\n{\n    var cmd = new SqlCommand(\"SELECT * FROM {T} WHERE {v} = @v\", conn);\n    cmd.Parameters.AddWithValue(\"@v\", {V});\n    return cmd.ExecuteReader();\n}\n",
    ),
    // ---------------- command-injection ----------------
    (
        "command-injection",
        "py",
        "import os\n\ndef ping(request):\n    {v} = request.args.get('host')\n    os.system('ping -c 1 ' + {v})\n",
        "import subprocess\n\ndef ping(request):\n    {v} = request.args.get('host')\n    subprocess.run(['ping', '-c', '1', {v}], check=True)\n",
    ),
    (
        "command-injection",
        "py",
        "import subprocess\n\ndef archive({v}):\n    subprocess.call(f'tar czf /tmp/{{{v}}}.tgz /data', shell=True)\n",
        "import subprocess\n\ndef archive({v}):\n    subprocess.call(['tar', 'czf', '/tmp/' + {v} + '.tgz', '/data'])\n",
    ),
    (
        "command-injection",
        "java",
        "public void ping(String {V}) throws IOException {\n    Runtime.getRuntime().exec(\"ping -c 1 \" + {V});\n}\n",
        "public void ping(String {V}) throws IOException {\n    new ProcessBuilder(\"ping\", \"-c\", \"1\", {V}).start();\n}\n",
    ),
    (
        "command-injection",
        "js",
        "const {{ exec }} = require('child_process');\nfunction ping({V}, cb) {{\n  exec('ping -c 1 ' + {V}, cb);\n}}\n",
        "const {{ execFile }} = require('child_process');\nfunction ping({V}, cb) {{\n  execFile('ping', ['-c', '1', {V}], cb);\n}}\n",
    ),
    (
        "command-injection",
        "go",
        "func ping({V} string) ([]byte, error) {\n\treturn exec.Command(\"sh\", \"-c\", \"ping -c 1 \"+{V}).Output()\n}\n",
        "func ping({V} string) ([]byte, error) {\n\treturn exec.Command(\"ping\", \"-c\", \"1\", {V}).Output()\n}\n",
    ),
    (
        "command-injection",
        "cs",
        "public void Ping(string {V})\n{\n    Process.Start(\"cmd.exe\", \"/c ping \" + {V});\n}\n",
        "public void Ping(string {V})\n{\n    var psi = new ProcessStartInfo(\"ping\");\n    psi.ArgumentList.Add({V});\n    Process.Start(psi);\n}\n",
    ),
    // ---------------- path-traversal ----------------
    (
        "path-traversal",
        "py",
        "from flask import request, send_file\n\ndef download():\n    {v} = request.args.get('file')\n    return send_file(os.path.join(BASE_DIR, {v}))\n",
        "from flask import request, send_file\nfrom werkzeug.utils import secure_filename\n\ndef download():\n    {v} = secure_filename(request.args.get('file'))\n    return send_file(os.path.join(BASE_DIR, {v}))\n",
    ),
    (
        "path-traversal",
        "js",
        "app.get('/doc', (req, res) => {{\n  const {V} = req.query.name;\n  res.sendFile(path.join(DOCS, {V}));\n}});\n",
        "app.get('/doc', (req, res) => {{\n  const {V} = path.basename(req.query.name);\n  res.sendFile(path.join(DOCS, {V}));\n}});\n",
    ),
    (
        "path-traversal",
        "go",
        "func doc(w http.ResponseWriter, r *http.Request) {\n\t{V} := r.URL.Query().Get(\"name\")\n\tdata, _ := os.ReadFile(filepath.Join(docs, {V}))\n\tw.Write(data)\n}\n",
        "func doc(w http.ResponseWriter, r *http.Request) {\n\t{V} := filepath.Base(r.URL.Query().Get(\"name\"))\n\tdata, _ := os.ReadFile(filepath.Join(docs, {V}))\n\tw.Write(data)\n}\n",
    ),
    (
        "path-traversal",
        "java",
        "public byte[] doc(HttpServletRequest request) throws IOException {\n    String {V} = request.getParameter(\"name\");\n    return Files.readAllBytes(Paths.get(DOCS, {V}));\n}\n",
        "public byte[] doc(HttpServletRequest request) throws IOException {\n    String {V} = FilenameUtils.getName(request.getParameter(\"name\"));\n    return Files.readAllBytes(Paths.get(DOCS, {V}));\n}\n",
    ),
    (
        "path-traversal",
        "cs",
        "public IActionResult Doc()\n{\n    var {V} = Request.Query[\"name\"];\n    return PhysicalFile(Path.Combine(Docs, {V}), \"application/pdf\");\n}\n",
        "public IActionResult Doc()\n{\n    var {V} = Path.GetFileName(Request.Query[\"name\"]);\n    return PhysicalFile(Path.Combine(Docs, {V}), \"application/pdf\");\n}\n",
    ),
    // ---------------- weak-hash ----------------
    (
        "weak-hash",
        "py",
        "import hashlib\n\ndef store_password({v}, password):\n    digest = hashlib.md5(password.encode()).hexdigest()\n    save({v}, digest)\n",
        "import bcrypt\n\ndef store_password({v}, password):\n    digest = bcrypt.hashpw(password.encode(), bcrypt.gensalt())\n    save({v}, digest)\n",
    ),
    (
        "weak-hash",
        "py",
        "import hashlib\n\ndef sign_payload({v}, body):\n    signature = hashlib.sha1(SIGNING_SALT + body).hexdigest()\n    return {v}, signature\n",
        // MD5 for a cache key is still a warning unless it is marked
        // not-for-security (the semantic engine's weak-hash policy).
        "import hashlib\n\ndef cache_key({v}, body):\n    etag = hashlib.md5(body, usedforsecurity=False).hexdigest()\n    return {v}, etag\n",
    ),
    (
        "weak-hash",
        "java",
        "public String hashPassword(String password) throws Exception {\n    MessageDigest md = MessageDigest.getInstance(\"SHA-1\");\n    return hex(md.digest(password.getBytes(UTF_8)));\n}\n",
        "public String hashPassword(String password) {\n    return BCrypt.hashpw(password, BCrypt.gensalt(12));\n}\n",
    ),
    (
        "weak-hash",
        "js",
        "function hashPassword(password) {\n  return crypto.createHash('md5').update(password).digest('hex');\n}\n",
        "async function hashPassword(password) {\n  return bcrypt.hash(password, 12);\n}\n",
    ),
    (
        "weak-hash",
        "go",
        "func hashPassword(password string) string {\n\tsum := md5.Sum([]byte(password))\n\treturn hex.EncodeToString(sum[:])\n}\n",
        "func hashPassword(password string) (string, error) {\n\th, err := bcrypt.GenerateFromPassword([]byte(password), 12)\n\treturn string(h), err\n}\n",
    ),
    (
        "weak-hash",
        "cs",
        "public string HashPassword(string password)\n{\n    using var md5 = MD5.Create();\n    return Convert.ToHexString(md5.ComputeHash(Encoding.UTF8.GetBytes(password)));\n}\n",
        "public string HashPassword(string password)\n{\n    return BCrypt.Net.BCrypt.HashPassword(password);\n}\n",
    ),
    // ---------------- weak-cipher ----------------
    (
        "weak-cipher",
        "py",
        "from Crypto.Cipher import DES3\n\ndef encrypt_{v}(key, data):\n    return DES3.new(key, DES3.MODE_CBC, IV).encrypt(data)\n",
        "from Crypto.Cipher import AES\n\ndef encrypt_{v}(key, data):\n    c = AES.new(key, AES.MODE_GCM)\n    return c.nonce, c.encrypt_and_digest(data)\n",
    ),
    (
        "weak-cipher",
        "java",
        "public byte[] encrypt{P}(SecretKey key, byte[] data) throws Exception {\n    Cipher c = Cipher.getInstance(\"AES/ECB/PKCS5Padding\");\n    c.init(Cipher.ENCRYPT_MODE, key);\n    return c.doFinal(data);\n}\n",
        "public byte[] encrypt{P}(SecretKey key, byte[] data, byte[] iv) throws Exception {\n    Cipher c = Cipher.getInstance(\"AES/GCM/NoPadding\");\n    c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));\n    return c.doFinal(data);\n}\n",
    ),
    (
        "weak-cipher",
        "js",
        "function encrypt{P}(key, data) {{\n  const c = crypto.createCipheriv('des-ede3-cbc', key, IV);\n  return Buffer.concat([c.update(data), c.final()]);\n}}\n",
        "function encrypt{P}(key, data, iv) {{\n  const c = crypto.createCipheriv('aes-256-gcm', key, iv);\n  return Buffer.concat([c.update(data), c.final()]);\n}}\n",
    ),
    (
        "weak-cipher",
        "go",
        "func encrypt{P}(key, data []byte) (cipher.Block, error) {\n\treturn des.NewCipher(key)\n}\n",
        "func encrypt{P}(key, data []byte) (cipher.Block, error) {\n\treturn aes.NewCipher(key)\n}\n",
    ),
    (
        "weak-cipher",
        "cs",
        "public byte[] Encrypt{P}(byte[] key, byte[] data)\n{\n    using var des = TripleDES.Create();\n    des.Key = key;\n    return des.CreateEncryptor().TransformFinalBlock(data, 0, data.Length);\n}\n",
        "public byte[] Encrypt{P}(byte[] key, byte[] data, byte[] nonce, byte[] tag)\n{\n    using var aes = new AesGcm(key);\n    var output = new byte[data.Length];\n    aes.Encrypt(nonce, data, output, tag);\n    return output;\n}\n",
    ),
    // ---------------- insecure-random ----------------
    (
        "insecure-random",
        "py",
        "import random\n\ndef issue_otp({v}):\n    otp = str(random.randint(100000, 999999))\n    send({v}, otp)\n",
        "import secrets\n\ndef issue_otp({v}):\n    otp = str(secrets.randbelow(900000) + 100000)\n    send({v}, otp)\n",
    ),
    (
        "insecure-random",
        "py",
        "import random\n\ndef backoff({v}):\n    token = ''.join(random.choices(ALPHABET, k=32))\n    return {v}, token\n",
        "import random\n\ndef backoff({v}):\n    delay = random.uniform(0.1, 2.0)\n    return {v}, delay\n",
    ),
    (
        "insecure-random",
        "java",
        "public String newSessionId(String {V}) {\n    Random rnd = new Random();\n    return {V} + Long.toHexString(rnd.nextLong());\n}\n",
        "public String newSessionId(String {V}) {\n    SecureRandom rnd = new SecureRandom();\n    return {V} + Long.toHexString(rnd.nextLong());\n}\n",
    ),
    (
        "insecure-random",
        "js",
        "function resetToken({V}) {{\n  const token = Math.random().toString(36).substring(2);\n  return {{ {V}, token }};\n}}\n",
        "function resetToken({V}) {{\n  const token = crypto.randomBytes(32).toString('hex');\n  return {{ {V}, token }};\n}}\n",
    ),
    (
        "insecure-random",
        "go",
        "import \"math/rand\"\n\nfunc newOtp({V} string) string {\n\totp := rand.Intn(900000) + 100000\n\treturn fmt.Sprint({V}, otp)\n}\n",
        "import \"crypto/rand\"\n\nfunc newOtp({V} string) string {\n\tn, _ := rand.Int(rand.Reader, big.NewInt(900000))\n\treturn fmt.Sprint({V}, n)\n}\n",
    ),
    (
        "insecure-random",
        "cs",
        "public string NewApiKey(string {V})\n{\n    var apiKey = new Random().Next().ToString(\"x\");\n    return {V} + apiKey;\n}\n",
        "public string NewApiKey(string {V})\n{\n    var apiKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));\n    return {V} + apiKey;\n}\n",
    ),
    // ---------------- tls-verification-disabled ----------------
    (
        "tls-verification-disabled",
        "py",
        "import requests\n\ndef fetch_{v}(url):\n    return requests.get(url, timeout=10, verify=False).json()\n",
        "import requests\n\ndef fetch_{v}(url):\n    return requests.get(url, timeout=10, verify=CA_BUNDLE).json()\n",
    ),
    (
        "tls-verification-disabled",
        "js",
        "const agent = new https.Agent({{ rejectUnauthorized: false }});\nasync function fetch{P}(url) {{ return axios.get(url, {{ httpsAgent: agent }}); }}\n",
        "const agent = new https.Agent({{ ca: fs.readFileSync(CA_PATH) }});\nasync function fetch{P}(url) {{ return axios.get(url, {{ httpsAgent: agent }}); }}\n",
    ),
    (
        "tls-verification-disabled",
        "go",
        "func client{P}() *http.Client {\n\ttr := &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}\n\treturn &http.Client{Transport: tr}\n}\n",
        "func client{P}() *http.Client {\n\ttr := &http.Transport{TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: pool}}\n\treturn &http.Client{Transport: tr}\n}\n",
    ),
    (
        "tls-verification-disabled",
        "java",
        "TrustManager[] tm = new TrustManager[]{ new X509TrustManager() {\n    public void checkClientTrusted(X509Certificate[] c, String a) {}\n    public void checkServerTrusted(X509Certificate[] c, String a) {}\n    public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }\n}};\n",
        "TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());\ntmf.init(bankTrustStore);\nTrustManager[] tm = tmf.getTrustManagers();\n",
    ),
    (
        "tls-verification-disabled",
        "cs",
        "var handler = new HttpClientHandler();\nhandler.ServerCertificateCustomValidationCallback = (msg, cert, chain, errors) => true;\nvar {V}Client = new HttpClient(handler);\n",
        "var handler = new HttpClientHandler();\nhandler.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;\nvar {V}Client = new HttpClient(handler);\n",
    ),
    // ---------------- insecure-deserialization ----------------
    (
        "insecure-deserialization",
        "py",
        "import pickle\n\ndef load_{v}(request):\n    return pickle.loads(request.get_data())\n",
        "import json\n\ndef load_{v}(request):\n    return json.loads(request.get_data())\n",
    ),
    (
        "insecure-deserialization",
        "py",
        "import yaml\n\ndef read_{v}(path):\n    with open(path) as f:\n        return yaml.load(f, Loader=yaml.Loader)\n",
        "import yaml\n\ndef read_{v}(path):\n    with open(path) as f:\n        return yaml.safe_load(f)\n",
    ),
    (
        "insecure-deserialization",
        "java",
        "public Object read{P}(InputStream in) throws Exception {\n    ObjectInputStream ois = new ObjectInputStream(in);\n    return ois.readObject();\n}\n",
        "public {P}Dto read{P}(InputStream in) throws Exception {\n    return mapper.readValue(in, {P}Dto.class);\n}\n",
    ),
    (
        "insecure-deserialization",
        "cs",
        "public object Read{P}(Stream s)\n{\n    var formatter = new BinaryFormatter();\n    return formatter.Deserialize(s);\n}\n",
        "public {P}Dto Read{P}(Stream s)\n{\n    return JsonSerializer.Deserialize<{P}Dto>(s);\n}\n",
    ),
    // ---------------- sensitive-data-logged ----------------
    (
        "sensitive-data-logged",
        "py",
        "def login({v}, password):\n    logger.info(\"login attempt %s with %s\", {v}, password)\n    return auth({v}, password)\n",
        "def login({v}, password):\n    logger.info(\"login attempt %s\", {v})\n    return auth({v}, password)\n",
    ),
    (
        "sensitive-data-logged",
        "py",
        "def open_account({v}, nric):\n    logging.info(f\"opening account for {{nric}} ref {{{v}}}\")\n",
        "def open_account({v}, nric):\n    logging.info(f\"opening account for {{mask_nric(nric)}} ref {{{v}}}\")\n",
    ),
    (
        "sensitive-data-logged",
        "java",
        "public void pay(String {V}, String cardNumber) {\n    log.info(\"payment {} card {}\", {V}, cardNumber);\n}\n",
        "public void pay(String {V}, String cardNumber) {\n    log.info(\"payment {} card {}\", {V}, Masking.last4(cardNumber));\n}\n",
    ),
    (
        "sensitive-data-logged",
        "js",
        "function refresh({V}, accessToken) {{\n  logger.debug(`refresh for ${{{V}}} token ${{accessToken}}`);\n}}\n",
        "function refresh({V}, accessToken) {{\n  logger.debug(`refresh for ${{{V}}}`);\n}}\n",
    ),
    (
        "sensitive-data-logged",
        "go",
        "func transfer({V} string, accountNumber string) {\n\tlog.Printf(\"transfer %s from %s\", {V}, accountNumber)\n}\n",
        "func transfer({V} string, accountNumber string) {\n\tlog.Printf(\"transfer %s\", {V})\n}\n",
    ),
    (
        "sensitive-data-logged",
        "cs",
        "public void Verify(string {V}, string otp)\n{\n    _logger.LogInformation(\"Verifying {{Ref}} with {{Otp}}\", {V}, otp);\n}\n",
        "public void Verify(string {V}, string otp)\n{\n    _logger.LogInformation(\"Verifying {{Ref}}\", {V});\n}\n",
    ),
    // ---------------- console-log-sensitive ----------------
    (
        "console-log-sensitive",
        "js",
        "app.post('/login', (req, res) => {{\n  console.log(req.body);\n  handle{P}(req, res);\n}});\n",
        "app.post('/login', (req, res) => {{\n  console.log('login request', req.ip);\n  handle{P}(req, res);\n}});\n",
    ),
    (
        "console-log-sensitive",
        "ts",
        "export function debug{P}(password: string): void {{\n  console.log('pw', password);\n}}\n",
        "export function debug{P}(password: string): void {{\n  console.log('pw length ok', password.length > 12);\n}}\n",
    ),
    (
        "console-log-sensitive",
        "py",
        "def show_{v}(token):\n    print(\"token is\", token)\n",
        "def show_{v}(token):\n    print(\"token received\")\n",
    ),
    (
        "console-log-sensitive",
        "java",
        "public void debug{P}(String pin) {\n    System.out.println(\"pin=\" + pin);\n}\n",
        "public void debug{P}(String pin) {\n    System.out.println(\"pin received\");\n}\n",
    ),
    (
        "console-log-sensitive",
        "go",
        "func debug{P}(nric string) {\n\tfmt.Println(\"nric\", nric)\n}\n",
        "func debug{P}(nric string) {\n\tfmt.Println(\"nric received\")\n}\n",
    ),
    // ---------------- debug-enabled ----------------
    (
        "debug-enabled",
        "py",
        "from flask import Flask\napp = Flask(__name__)\n\nif __name__ == '__main__':\n    app.run(host='0.0.0.0', port=8080, debug=True)\n",
        "from flask import Flask\napp = Flask(__name__)\n\nif __name__ == '__main__':\n    app.run(host='0.0.0.0', port=8080, debug=os.environ.get('FLASK_DEBUG') == '1')\n",
    ),
    (
        "debug-enabled",
        "properties",
        "spring.application.name={v}\ndebug=true\n",
        "spring.application.name={v}\ndebug=false\n",
    ),
    (
        "debug-enabled",
        "go",
        "func main() {\n\tgin.SetMode(gin.DebugMode)\n\tr := gin.Default()\n\tr.Run(\":8080\")\n}\n",
        "func main() {\n\tgin.SetMode(gin.ReleaseMode)\n\tr := gin.Default()\n\tr.Run(\":8080\")\n}\n",
    ),
    // ---------------- cors-allow-all-credentials ----------------
    (
        "cors-allow-all-credentials",
        "js",
        "app.use(cors({{ origin: true, credentials: true }}));\napp.get('/{v}', handler);\n",
        "app.use(cors({{ origin: ALLOWED_ORIGINS, credentials: true }}));\napp.get('/{v}', handler);\n",
    ),
    (
        "cors-allow-all-credentials",
        "py",
        "app.add_middleware(CORSMiddleware, allow_origins=[\"*\"], allow_credentials=True, allow_methods=[\"*\"])\n",
        "app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_credentials=True, allow_methods=[\"GET\"])\n",
    ),
    (
        "cors-allow-all-credentials",
        "java",
        "@Override\npublic void addCorsMappings(CorsRegistry registry) {\n    registry.addMapping(\"/{v}/**\").allowedOriginPatterns(\"*\").allowCredentials(true);\n}\n",
        "@Override\npublic void addCorsMappings(CorsRegistry registry) {\n    registry.addMapping(\"/{v}/**\").allowedOrigins(\"https://ibank.example.sg\").allowCredentials(true);\n}\n",
    ),
    (
        "cors-allow-all-credentials",
        "go",
        "r.Use(cors.New(cors.Config{\n\tAllowOrigins:     []string{\"*\"},\n\tAllowCredentials: true,\n}))\n",
        "r.Use(cors.New(cors.Config{\n\tAllowOrigins:     []string{\"https://ibank.example.sg\"},\n\tAllowCredentials: true,\n}))\n",
    ),
    (
        "cors-allow-all-credentials",
        "cs",
        "services.AddCors(o => o.AddPolicy(\"{v}\", p => p.SetIsOriginAllowed(_ => true).AllowAnyHeader().AllowCredentials()));\n",
        "services.AddCors(o => o.AddPolicy(\"{v}\", p => p.WithOrigins(AllowedOrigins).AllowAnyHeader().AllowCredentials()));\n",
    ),
    // ---------------- eval-injection ----------------
    (
        "eval-injection",
        "py",
        "def calc(request):\n    {v} = request.args.get('expr')\n    return str(eval({v}))\n",
        "import ast\n\ndef calc(request):\n    {v} = request.args.get('expr')\n    return str(ast.literal_eval({v}))\n",
    ),
    (
        "eval-injection",
        "js",
        "function calc(req, res) {{\n  const {V} = req.body.expr;\n  res.json({{ result: eval({V}) }});\n}}\n",
        "function calc(req, res) {{\n  const {V} = req.body.expr;\n  res.json({{ result: evaluateSafely(parse({V})) }});\n}}\n",
    ),
    (
        "eval-injection",
        "java",
        "public Object calc(String {V}) throws ScriptException {\n    ScriptEngine engine = new ScriptEngineManager().getEngineByName(\"js\");\n    return engine.eval({V});\n}\n",
        "public Object calc(String {V}) {\n    return Calculator.evaluate(Parser.parse({V}));\n}\n",
    ),
    // ---------------- float-for-money ----------------
    (
        "float-for-money",
        "py",
        "def apply_fee({v}, request):\n    amount = float(request.form['amount'])\n    return {v}, amount * 1.02\n",
        "from decimal import Decimal\n\ndef apply_fee({v}, request):\n    amount = Decimal(request.form['amount'])\n    return {v}, amount * Decimal('1.02')\n",
    ),
    (
        "float-for-money",
        "java",
        "public class {P}Account {\n    private double balance;\n    private String owner;\n}\n",
        "public class {P}Account {\n    private BigDecimal balance;\n    private String owner;\n}\n",
    ),
    (
        "float-for-money",
        "ts",
        "export interface {P}Transfer {{\n  id: string;\n  amount: number;\n}}\n",
        "export interface {P}Transfer {{\n  id: string;\n  amount: Decimal;\n}}\n",
    ),
    (
        "float-for-money",
        "go",
        "type {P}Payment struct {\n\tID     string\n\tAmount float64\n}\n",
        "type {P}Payment struct {\n\tID          string\n\tAmountCents int64\n}\n",
    ),
    (
        "float-for-money",
        "cs",
        "public class {P}Loan\n{\n    public double Principal { get; set; }\n}\n",
        "public class {P}Loan\n{\n    public decimal Principal { get; set; }\n}\n",
    ),
    // ---------------- stack-trace-exposed ----------------
    (
        "stack-trace-exposed",
        "py",
        "@app.errorhandler(Exception)\ndef on_error_{v}(e):\n    return jsonify(error=traceback.format_exc()), 500\n",
        "@app.errorhandler(Exception)\ndef on_error_{v}(e):\n    logger.exception('unhandled')\n    return jsonify(error='internal error', ref=g.request_id), 500\n",
    ),
    (
        "stack-trace-exposed",
        "js",
        "app.use((err, req, res, next) => {{\n  res.status(500).json({{ error: err.stack, where: '{v}' }});\n}});\n",
        "app.use((err, req, res, next) => {{\n  logger.error(err.stack);\n  res.status(500).json({{ error: 'internal error', where: '{v}' }});\n}});\n",
    ),
    (
        "stack-trace-exposed",
        "cs",
        "catch (Exception ex)\n{\n    return StatusCode(500, ex.ToString());\n}\n",
        "catch (Exception ex)\n{\n    _logger.LogError(ex, \"{v} failed\");\n    return StatusCode(500, \"internal error\");\n}\n",
    ),
];

fn fill(t: &str, i: usize) -> String {
    let (v, cv, pv) = NAMES[i % NAMES.len()];
    // Placeholders first, then the `{{`/`}}` escapes (so `{{{v}}}` works).
    t.replace("{v}", v)
        .replace("{V}", cv)
        .replace("{P}", pv)
        .replace("{T}", TABLES[i % TABLES.len()])
        .replace("{{", "{")
        .replace("}}", "}")
}

/// Varied alphanumeric filler of length `n` (deterministic per seed).
pub fn filler(n: usize, seed: u64) -> String {
    const A: &[u8] = b"Zq7Wm2Xp9Lk4Rr8Tv3Bn6Hs1Df5Gj0YcAeUiOo";
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            A[(x % A.len() as u64) as usize] as char
        })
        .collect()
}

/// Credential pairs: (lang, insecure, safe). Built at run time.
fn credential_pairs(i: u64) -> Vec<(&'static str, &'static str, String, String)> {
    let ghp = format!("{}{}{}", "gh", "p_", filler(36, i + 1));
    let aws_secret = format!("{}{}", filler(30, i + 2), "/K7MDENG+bP");
    let stripe = format!("{}{}{}", "sk_", "live_", filler(24, i + 3));
    let google = format!("{}{}{}", "AI", "za", filler(35, i + 4));
    let slack = format!("{}{}-{}-{}", "xox", "b", "1234567890", filler(24, i + 5));
    let pw = format!("Pr0d{}!", filler(6, i + 6));
    let pem = format!(
        "{}{}",
        "-----BEGIN ", "RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA"
    );
    let api = filler(32, i + 7);
    vec![
        (
            "credentials",
            "py",
            format!("GITHUB_TOKEN = \"{ghp}\"\n"),
            "GITHUB_TOKEN = os.environ[\"GITHUB_TOKEN\"]\n".into(),
        ),
        (
            "credentials",
            "py",
            format!("DB_PASSWORD = \"{pw}\"\n"),
            "DB_PASSWORD = get_secret(\"prod/db/password\")\n".into(),
        ),
        (
            "credentials",
            "py",
            format!(
                "client = boto3.client('s3', aws_access_key_id='AKIAIOSFODNN7EXAMPLE', aws_secret_access_key='{aws_secret}')\n"
            ),
            "client = boto3.client('s3')\n".into(),
        ),
        (
            "credentials",
            "js",
            format!("const stripe = require('stripe')('{stripe}');\n"),
            "const stripe = require('stripe')(process.env.STRIPE_KEY);\n".into(),
        ),
        (
            "credentials",
            "js",
            format!("const config = {{ apiKey: '{google}', region: 'ap-southeast-1' }};\n"),
            "const config = { apiKey: process.env.MAPS_KEY, region: 'ap-southeast-1' };\n".into(),
        ),
        (
            "credentials",
            "ts",
            format!("export const password: string = '{pw}';\n"),
            "export const password: string = process.env.DB_PASSWORD ?? '';\n".into(),
        ),
        (
            "credentials",
            "java",
            format!("private static final String DB_PASSWORD = \"{pw}\";\n"),
            "private static final String DB_PASSWORD = System.getenv(\"DB_PASSWORD\");\n".into(),
        ),
        (
            "credentials",
            "java",
            format!("String apiKey = \"{api}\";\n"),
            "String apiKey = secrets.getSecretValue(req).secretString();\n".into(),
        ),
        (
            "credentials",
            "go",
            format!("const slackToken = \"{slack}\"\n"),
            "var slackToken = os.Getenv(\"SLACK_TOKEN\")\n".into(),
        ),
        (
            "credentials",
            "go",
            format!(
                "db, err := sql.Open(\"postgres\", \"postgres://app:{pw}@db.internal:5432/core\")\n"
            ),
            "db, err := sql.Open(\"postgres\", os.Getenv(\"DATABASE_URL\"))\n".into(),
        ),
        (
            "credentials",
            "cs",
            format!("var conn = \"Server=db;Database=core;User Id=app;Password={pw};\";\n"),
            "var conn = configuration.GetConnectionString(\"Core\");\n".into(),
        ),
        (
            "credentials",
            "env",
            format!("API_TOKEN={api}\n"),
            "API_TOKEN=${API_TOKEN}\n".into(),
        ),
        (
            "credentials",
            "yml",
            format!("datasource:\n  password: {pw}\n"),
            "datasource:\n  password: ${DB_PASSWORD}\n".into(),
        ),
        (
            "credentials",
            "json",
            format!("{{\"client_secret\": \"{api}\"}}\n"),
            "{\"client_secret\": \"<your-client-secret>\"}\n".into(),
        ),
        (
            "credentials",
            "properties",
            format!("{pem}\n"),
            "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqh\n".into(),
        ),
        (
            "credentials",
            "py",
            format!("session_token = \"{}\"\n", filler(40, i + 9)),
            "session_token_ttl = \"3600\"\nrequest_id = \"550e8400-e29b-41d4-a716-446655440000\"\n"
                .into(),
        ),
    ]
}

/// The corpus: every template with every name variant, plus credential pairs.
pub fn corpus() -> Vec<Sample> {
    let mut out = Vec::new();
    let mut n = 0;
    for (i, (cat, lang, bad, good)) in TEMPLATES.iter().enumerate() {
        for v in 0..NAMES.len() {
            n += 1;
            let base = format!("{}/{}_{:03}_{v}", cat, lang, i);
            let path = |kind: &str| {
                if *lang == "properties" {
                    format!("src/{base}_{kind}/application.properties")
                } else {
                    format!("src/{base}_{kind}.{}", ext(lang))
                }
            };
            out.push(Sample {
                category: cat,
                insecure: true,
                path: path("bad"),
                text: fill(bad, v + i),
            });
            out.push(Sample {
                category: cat,
                insecure: false,
                path: path("ok"),
                text: fill(good, v + i),
            });
        }
    }
    for round in 0..4u64 {
        for (j, (cat, lang, bad, good)) in credential_pairs(round * 100).into_iter().enumerate() {
            n += 1;
            let base = format!("src/credentials/{lang}_{round}_{j:02}");
            let (pb, pg) = if lang == "env" {
                (format!("{base}_bad/.env"), format!("{base}_ok/.env"))
            } else {
                (
                    format!("{base}_bad.{}", ext(lang)),
                    format!("{base}_ok.{}", ext(lang)),
                )
            };
            out.push(Sample {
                category: cat,
                insecure: true,
                path: pb,
                text: bad,
            });
            out.push(Sample {
                category: cat,
                insecure: false,
                path: pg,
                text: good,
            });
        }
    }
    debug_assert_eq!(out.len(), n * 2);
    out
}

/// Whether a rule id counts for the "credentials" category: every rule
/// citing CWE-798 (hard-coded credentials), which includes every provider
/// detector of the table, and a repository's gitleaks rules
/// (`gitleaks/<id>`).
pub fn is_credential(rule: &str) -> bool {
    banking_code_review::is_credential_rule_id(rule)
}

/// The category a rule id counts for.
pub fn category_of(rule: &str) -> &str {
    if is_credential(rule) {
        "credentials"
    } else {
        rule
    }
}
