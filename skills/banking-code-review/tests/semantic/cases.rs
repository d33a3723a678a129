//! Labelled cases for the semantic engine: Java/Kotlin and Python idioms of
//! Servlet, Spring MVC, JdbcTemplate, JPA/Hibernate, MyBatis, JAX-RS,
//! Flask, Django, FastAPI, SQLAlchemy and DB-API. Every vulnerable case has
//! a safe twin that differs only where a line regex cannot see it: a
//! constant concatenation, bound parameters, a sanitiser, a dead branch, a
//! value overwritten before use, a different collection key, a helper that
//! returns a constant.
//!
//! Placeholders are replaced at run time: `{p}` a parameter name, `{P}`
//! the same capitalised, `{t}` a table, `{C}` a class-name prefix.

#![allow(dead_code)]

pub struct Template {
    pub category: &'static str,
    pub framework: &'static str,
    /// File extension: `java`, `kt`, `py`.
    pub ext: &'static str,
    /// Expected severity of the vulnerable case: `block` or `warn`.
    pub expect: &'static str,
    /// What makes the twin safe.
    pub twin: &'static str,
    pub vulnerable: &'static str,
    pub safe: &'static str,
}

pub struct Case {
    pub category: &'static str,
    pub framework: &'static str,
    pub twin: &'static str,
    pub expect: &'static str,
    pub vulnerable: bool,
    pub path: String,
    pub text: String,
}

const NAMES: &[(&str, &str, &str, &str)] = &[
    ("name", "Name", "customers", "Customer"),
    ("branch", "Branch", "branches", "Branch"),
    ("ref", "Ref", "transfers", "Transfer"),
    ("account", "Account", "accounts", "Account"),
];

pub fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    for (ti, t) in TEMPLATES.iter().enumerate() {
        for (ni, (p, pp, tb, c)) in NAMES.iter().enumerate() {
            for (vuln, body) in [(true, t.vulnerable), (false, t.safe)] {
                let text = body
                    .replace("{p}", p)
                    .replace("{P}", pp)
                    .replace("{t}", tb)
                    .replace("{C}", c);
                let dir = if t.ext == "py" {
                    "app"
                } else {
                    "src/main/java/com/bank"
                };
                out.push(Case {
                    category: t.category,
                    framework: t.framework,
                    twin: t.twin,
                    expect: t.expect,
                    vulnerable: vuln,
                    path: format!(
                        "{dir}/{}_{ti:02}_{ni}_{}.{}",
                        t.category.replace('-', "_"),
                        if vuln { "vuln" } else { "safe" },
                        t.ext
                    ),
                    text,
                });
            }
        }
    }
    out
}

pub const TEMPLATES: &[Template] = &[
    // ================================================================ SQL
    Template {
        category: "sql-injection",
        framework: "Servlet",
        ext: "java",
        expect: "block",
        twin: "bound parameters",
        vulnerable: r#"public class {C}Servlet extends HttpServlet {
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String {p} = request.getParameter("{p}");
        StringBuilder sb = new StringBuilder("SELECT * FROM {t} WHERE {p} = '");
        sb.append({p}).append("'");
        try (Connection conn = dataSource.getConnection(); Statement st = conn.createStatement()) {
            ResultSet rs = st.executeQuery(sb.toString());
            write(response, rs);
        } catch (SQLException e) {
            throw new ServletException(e);
        }
    }
}
"#,
        safe: r#"public class {C}Servlet extends HttpServlet {
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String {p} = request.getParameter("{p}");
        StringBuilder sb = new StringBuilder("SELECT * FROM {t} WHERE {p} = ?");
        try (Connection conn = dataSource.getConnection(); PreparedStatement st = conn.prepareStatement(sb.toString())) {
            st.setString(1, {p});
            ResultSet rs = st.executeQuery();
            write(response, rs);
        } catch (SQLException e) {
            throw new ServletException(e);
        }
    }
}
"#,
    },
    Template {
        category: "sql-injection",
        framework: "JdbcTemplate",
        ext: "java",
        expect: "block",
        twin: "constant concatenation + bound parameters",
        vulnerable: r#"@RestController
public class {C}Controller {
    private static final String COLUMNS = "id, {p}, created_at";
    private final JdbcTemplate jdbcTemplate;

    @GetMapping("/{t}")
    public List<{C}> find(@RequestParam("{p}") String {p}) {
        String sql = "select " + COLUMNS + " from {t} where {p} = '" + {p} + "'";
        return jdbcTemplate.query(sql, new {C}Mapper());
    }
}
"#,
        safe: r#"@RestController
public class {C}Controller {
    private static final String COLUMNS = "id, {p}, created_at";
    private final JdbcTemplate jdbcTemplate;

    @GetMapping("/{t}")
    public List<{C}> find(@RequestParam("{p}") String {p}) {
        String sql = "select " + COLUMNS + " from {t} where {p} = ?";
        return jdbcTemplate.query(sql, new {C}Mapper(), {p});
    }
}
"#,
    },
    Template {
        category: "sql-injection",
        framework: "JdbcTemplate",
        ext: "java",
        expect: "block",
        twin: "allow-list guard",
        vulnerable: r#"@RestController
public class {C}Report {
    private static final Set<String> SORTABLE = Set.of("created_at", "amount");

    @GetMapping("/{t}/report")
    public List<Map<String, Object>> report(@RequestParam String sort) {
        if (sort == null) {
            sort = "created_at";
        }
        String sql = "select * from {t} order by " + sort;
        return jdbcTemplate.queryForList(sql);
    }
}
"#,
        safe: r#"@RestController
public class {C}Report {
    private static final Set<String> SORTABLE = Set.of("created_at", "amount");

    @GetMapping("/{t}/report")
    public List<Map<String, Object>> report(@RequestParam String sort) {
        if (!SORTABLE.contains(sort)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST);
        }
        String sql = "select * from {t} order by " + sort;
        return jdbcTemplate.queryForList(sql);
    }
}
"#,
    },
    Template {
        category: "sql-injection",
        framework: "JdbcTemplate",
        ext: "java",
        expect: "block",
        twin: "dead branch (static final false)",
        vulnerable: r#"@Repository
public class {C}Search {
    private static final boolean LEGACY_FILTER = true;

    @PostMapping("/{t}/search")
    public int count(@RequestBody Filter filter) {
        String sql = "select count(*) from {t} where status = 'OPEN'";
        if (LEGACY_FILTER) {
            sql = sql + " and {p} like '" + filter.get{P}() + "%'";
        }
        return jdbcTemplate.queryForObject(sql, Integer.class);
    }
}
"#,
        safe: r#"@Repository
public class {C}Search {
    private static final boolean LEGACY_FILTER = false;

    @PostMapping("/{t}/search")
    public int count(@RequestBody Filter filter) {
        String sql = "select count(*) from {t} where status = 'OPEN'";
        if (LEGACY_FILTER) {
            sql = sql + " and {p} like '" + filter.get{P}() + "%'";
        }
        return jdbcTemplate.queryForObject(sql, Integer.class);
    }
}
"#,
    },
    Template {
        category: "sql-injection",
        framework: "JPA",
        ext: "java",
        expect: "block",
        twin: "named parameter",
        vulnerable: r#"@Path("/{t}")
public class {C}Resource {
    @PersistenceContext
    private EntityManager em;

    @GET
    public List<{C}> list(@QueryParam("{p}") String {p}) {
        String jpql = "select x from {C} x where x.{p} = '" + {p} + "'";
        return em.createQuery(jpql, {C}.class).getResultList();
    }
}
"#,
        safe: r#"@Path("/{t}")
public class {C}Resource {
    @PersistenceContext
    private EntityManager em;

    @GET
    public List<{C}> list(@QueryParam("{p}") String {p}) {
        String jpql = "select x from {C} x where x.{p} = :{p}";
        return em.createQuery(jpql, {C}.class).setParameter("{p}", {p}).getResultList();
    }
}
"#,
    },
    Template {
        category: "sql-injection",
        framework: "Hibernate",
        ext: "java",
        expect: "block",
        twin: "String.format of constants only",
        vulnerable: r#"public class {C}Dao {
    private static final String TABLE = "{t}";

    public List<Object[]> byValue(HttpServletRequest req, Session session) {
        String v = req.getParameter("{p}");
        String sql = String.format("select * from %s where {p} = '%s'", TABLE, v);
        return session.createNativeQuery(sql).list();
    }
}
"#,
        safe: r#"public class {C}Dao {
    private static final String TABLE = "{t}";

    public List<Object[]> byValue(HttpServletRequest req, Session session) {
        String v = req.getParameter("{p}");
        String sql = String.format("select * from %s where {p} = :v", TABLE);
        return session.createNativeQuery(sql).setParameter("v", v).list();
    }
}
"#,
    },
    Template {
        category: "sql-injection",
        framework: "Spring MVC",
        ext: "java",
        expect: "block",
        twin: "numeric parse",
        vulnerable: r#"@RestController
public class {C}Limits {
    @GetMapping("/{t}/recent")
    public List<Map<String, Object>> recent(HttpServletRequest request) {
        String limit = request.getParameter("limit");
        return jdbcTemplate.queryForList("select * from {t} order by id desc limit " + limit);
    }
}
"#,
        safe: r#"@RestController
public class {C}Limits {
    @GetMapping("/{t}/recent")
    public List<Map<String, Object>> recent(HttpServletRequest request) {
        int limit = Integer.parseInt(request.getParameter("limit"));
        return jdbcTemplate.queryForList("select * from {t} order by id desc limit " + limit);
    }
}
"#,
    },
    Template {
        category: "sql-injection",
        framework: "Spring MVC",
        ext: "java",
        expect: "block",
        twin: "different map key",
        vulnerable: r#"@RestController
public class {C}Query {
    @GetMapping("/{t}/q")
    public List<Map<String, Object>> q(@RequestParam String {p}) {
        Map<String, String> parts = new HashMap<>();
        parts.put("table", "{t}");
        parts.put("filter", {p});
        String sql = "select * from " + parts.get("table") + " where {p} = '" + parts.get("filter") + "'";
        return jdbcTemplate.queryForList(sql);
    }
}
"#,
        safe: r#"@RestController
public class {C}Query {
    @GetMapping("/{t}/q")
    public List<Map<String, Object>> q(@RequestParam String {p}) {
        Map<String, String> parts = new HashMap<>();
        parts.put("table", "{t}");
        parts.put("filter", {p});
        String sql = "select * from " + parts.get("table") + " where {p} = ?";
        return jdbcTemplate.queryForList(sql, parts.get("filter"));
    }
}
"#,
    },
    Template {
        category: "sql-injection",
        framework: "Servlet",
        ext: "java",
        expect: "block",
        twin: "same-file helper returning a constant",
        vulnerable: r#"public class {C}Lookup extends HttpServlet {
    private String where(String value) {
        return " where {p} = '" + value + "'";
    }

    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String sql = "select * from {t}" + where(request.getParameter("{p}"));
        try (Statement st = connection.createStatement()) {
            render(response, st.executeQuery(sql));
        }
    }
}
"#,
        safe: r#"public class {C}Lookup extends HttpServlet {
    private String where(String value) {
        return " where {p} = ?";
    }

    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String sql = "select * from {t}" + where(request.getParameter("{p}"));
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            st.setString(1, request.getParameter("{p}"));
            render(response, st.executeQuery());
        }
    }
}
"#,
    },
    Template {
        category: "sql-injection",
        framework: "MyBatis",
        ext: "java",
        expect: "warn",
        twin: "#{} bound parameter",
        vulnerable: r#"@Mapper
public interface {C}Mapper {
    @Select("SELECT * FROM {t} WHERE {p} = '${{p}}'")
    List<{C}> findBy{P}(@Param("{p}") String {p});
}
"#,
        safe: r#"@Mapper
public interface {C}Mapper {
    @Select("SELECT * FROM {t} WHERE {p} = #{{p}}")
    List<{C}> findBy{P}(@Param("{p}") String {p});
}
"#,
    },
    Template {
        category: "sql-injection",
        framework: "Spring MVC (Kotlin)",
        ext: "kt",
        expect: "block",
        twin: "bound parameters",
        vulnerable: r#"@RestController
class {C}Controller(private val jdbc: JdbcTemplate) {
    @GetMapping("/{t}")
    fun find(@RequestParam {p}: String): List<Map<String, Any>> {
        val sql = "select * from {t} where {p} = '${{p}}'"
        return jdbc.queryForList(sql)
    }
}
"#,
        safe: r#"@RestController
class {C}Controller(private val jdbc: JdbcTemplate) {
    @GetMapping("/{t}")
    fun find(@RequestParam {p}: String): List<Map<String, Any>> {
        val sql = "select * from {t} where {p} = ?"
        return jdbc.queryForList(sql, {p})
    }
}
"#,
    },
    Template {
        category: "sql-injection",
        framework: "Flask + DB-API",
        ext: "py",
        expect: "block",
        twin: "bound parameters",
        vulnerable: r#"from flask import Flask, request

app = Flask(__name__)


@app.route("/{t}")
def find_{t}():
    {p} = request.args.get("{p}")
    cur = get_db().cursor()
    cur.execute("SELECT * FROM {t} WHERE {p} = '%s'" % {p})
    return jsonify(cur.fetchall())
"#,
        safe: r#"from flask import Flask, request

app = Flask(__name__)


@app.route("/{t}")
def find_{t}():
    {p} = request.args.get("{p}")
    cur = get_db().cursor()
    cur.execute("SELECT * FROM {t} WHERE {p} = '%s'", ({p},))
    return jsonify(cur.fetchall())
"#,
    },
    Template {
        category: "sql-injection",
        framework: "Flask + SQLAlchemy",
        ext: "py",
        expect: "block",
        twin: "helper returning a constant",
        vulnerable: r#"from flask import request
from sqlalchemy import text


def where_clause(value):
    return f" WHERE {p} = '{value}'"


@bp.route("/{t}/search")
def search():
    q = "SELECT id FROM {t}" + where_clause(request.args["{p}"])
    rows = db.session.execute(text(q)).fetchall()
    return {"ids": [r.id for r in rows]}
"#,
        safe: r#"from flask import request
from sqlalchemy import text


def where_clause(value):
    return " WHERE {p} = :v"


@bp.route("/{t}/search")
def search():
    q = "SELECT id FROM {t}" + where_clause(request.args["{p}"])
    rows = db.session.execute(text(q), {"v": request.args["{p}"]}).fetchall()
    return {"ids": [r.id for r in rows]}
"#,
    },
    Template {
        category: "sql-injection",
        framework: "Django",
        ext: "py",
        expect: "block",
        twin: "params list",
        vulnerable: r#"from django.http import JsonResponse


def {t}_view(request):
    value = request.GET["{p}"]
    rows = {C}.objects.raw("SELECT * FROM {t} WHERE {p} = '%s'" % value)
    return JsonResponse({"count": len(list(rows))})
"#,
        safe: r#"from django.http import JsonResponse


def {t}_view(request):
    value = request.GET["{p}"]
    rows = {C}.objects.raw("SELECT * FROM {t} WHERE {p} = %s", [value])
    return JsonResponse({"count": len(list(rows))})
"#,
    },
    Template {
        category: "sql-injection",
        framework: "Django",
        ext: "py",
        expect: "block",
        twin: "int() sanitiser",
        vulnerable: r#"from django.db import connection


def {t}_page(request):
    page = request.GET.get("page", "0")
    sql = "SELECT * FROM {t} ORDER BY id LIMIT 50 OFFSET {}".format(page)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return render_rows(cursor.fetchall())
"#,
        safe: r#"from django.db import connection


def {t}_page(request):
    page = int(request.GET.get("page", "0"))
    sql = "SELECT * FROM {t} ORDER BY id LIMIT 50 OFFSET {}".format(page)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return render_rows(cursor.fetchall())
"#,
    },
    Template {
        category: "sql-injection",
        framework: "FastAPI + SQLAlchemy",
        ext: "py",
        expect: "block",
        twin: "different dict key",
        vulnerable: r#"from fastapi import FastAPI, Query
from sqlalchemy import text

app = FastAPI()


@app.get("/{t}")
def list_{t}({p}: str = Query(...)):
    parts = {"filter": {p}, "order": "created_at"}
    sql = "SELECT * FROM {t} ORDER BY " + parts["filter"]
    with engine.connect() as conn:
        return conn.execute(text(sql)).fetchall()
"#,
        safe: r#"from fastapi import FastAPI, Query
from sqlalchemy import text

app = FastAPI()


@app.get("/{t}")
def list_{t}({p}: str = Query(...)):
    parts = {"filter": {p}, "order": "created_at"}
    sql = "SELECT * FROM {t} ORDER BY " + parts["order"]
    with engine.connect() as conn:
        return conn.execute(text(sql)).fetchall()
"#,
    },
    Template {
        category: "sql-injection",
        framework: "FastAPI + DB-API",
        ext: "py",
        expect: "block",
        twin: "value overwritten before use",
        vulnerable: r#"from fastapi import FastAPI

app = FastAPI()


@app.get("/{t}/export")
def export(order: str):
    column = order
    query = f"SELECT * FROM {t} ORDER BY {column}"
    cur = conn.cursor()
    cur.execute(query)
    return cur.fetchall()
"#,
        safe: r#"from fastapi import FastAPI

app = FastAPI()


@app.get("/{t}/export")
def export(order: str):
    column = order
    column = "created_at"
    query = f"SELECT * FROM {t} ORDER BY {column}"
    cur = conn.cursor()
    cur.execute(query)
    return cur.fetchall()
"#,
    },
    Template {
        category: "sql-injection",
        framework: "SQLAlchemy",
        ext: "py",
        expect: "block",
        twin: "dead branch (module constant)",
        vulnerable: r#"import os
from flask import request

USE_RAW = True


@app.post("/{t}/purge")
def purge():
    {p} = request.form["{p}"]
    stmt = "DELETE FROM {t} WHERE {p} = :v"
    if USE_RAW:
        stmt = "DELETE FROM {t} WHERE {p} = '" + {p} + "'"
    engine.exec_driver_sql(stmt)
    return "", 204
"#,
        safe: r#"import os
from flask import request

USE_RAW = False


@app.post("/{t}/purge")
def purge():
    {p} = request.form["{p}"]
    stmt = "DELETE FROM {t} WHERE {p} = :v"
    if USE_RAW:
        stmt = "DELETE FROM {t} WHERE {p} = '" + {p} + "'"
    engine.exec_driver_sql(stmt)
    return "", 204
"#,
    },
    // ============================================================ command
    Template {
        category: "command-injection",
        framework: "JAX-RS",
        ext: "java",
        expect: "block",
        twin: "argument list without a shell",
        vulnerable: r#"@Path("/ops")
public class {C}Ops {
    @GET
    @Path("/ping")
    public String ping(@QueryParam("host") String host) throws IOException {
        Process p = Runtime.getRuntime().exec("ping -c 1 " + host);
        return read(p.getInputStream());
    }
}
"#,
        safe: r#"@Path("/ops")
public class {C}Ops {
    @GET
    @Path("/ping")
    public String ping(@QueryParam("host") String host) throws IOException {
        Process p = new ProcessBuilder("ping", "-c", "1", host).start();
        return read(p.getInputStream());
    }
}
"#,
    },
    Template {
        category: "command-injection",
        framework: "Spring MVC",
        ext: "java",
        expect: "block",
        twin: "constant command with a list",
        vulnerable: r#"@RestController
public class {C}Archive {
    @PostMapping("/archive")
    public void archive(@RequestParam String {p}) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("sh");
        cmd.add("-c");
        cmd.add("tar czf /backup/" + {p} + ".tgz /data/{t}");
        new ProcessBuilder(cmd).start();
    }
}
"#,
        safe: r#"@RestController
public class {C}Archive {
    @PostMapping("/archive")
    public void archive(@RequestParam String {p}) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("sh");
        cmd.add("-c");
        cmd.add("tar czf /backup/{t}.tgz /data/{t}");
        new ProcessBuilder(cmd).start();
    }
}
"#,
    },
    Template {
        category: "command-injection",
        framework: "Flask",
        ext: "py",
        expect: "block",
        twin: "argument list without shell=True",
        vulnerable: r#"import subprocess
from flask import request


@app.route("/diag")
def diag():
    host = request.args.get("host", "")
    out = subprocess.run("nslookup " + host, shell=True, capture_output=True)
    return out.stdout
"#,
        safe: r#"import subprocess
from flask import request


@app.route("/diag")
def diag():
    host = request.args.get("host", "")
    out = subprocess.run(["nslookup", host], capture_output=True)
    return out.stdout
"#,
    },
    Template {
        category: "command-injection",
        framework: "Flask",
        ext: "py",
        expect: "block",
        twin: "shlex.quote",
        vulnerable: r#"import os
import shlex
from flask import request


@app.post("/{t}/report")
def report():
    {p} = request.form["{p}"]
    os.system("generate-report --{p} " + {p})
    return "queued"
"#,
        safe: r#"import os
import shlex
from flask import request


@app.post("/{t}/report")
def report():
    {p} = request.form["{p}"]
    os.system("generate-report --{p} " + shlex.quote({p}))
    return "queued"
"#,
    },
    Template {
        category: "command-injection",
        framework: "Django",
        ext: "py",
        expect: "block",
        twin: "allow-list guard",
        vulnerable: r#"import os
from django.http import HttpResponseBadRequest

ALLOWED = {"gateway", "core", "cards"}


def restart(request):
    service = request.POST.get("service")
    if not service:
        return HttpResponseBadRequest()
    os.system("systemctl restart " + service)
    return HttpResponse("ok")
"#,
        safe: r#"import os
from django.http import HttpResponseBadRequest

ALLOWED = {"gateway", "core", "cards"}


def restart(request):
    service = request.POST.get("service")
    if service not in ALLOWED:
        return HttpResponseBadRequest()
    os.system("systemctl restart " + service)
    return HttpResponse("ok")
"#,
    },
    Template {
        category: "command-injection",
        framework: "FastAPI",
        ext: "py",
        expect: "block",
        twin: "numeric parse",
        vulnerable: r#"import subprocess
from fastapi import FastAPI

app = FastAPI()


@app.get("/tail")
def tail(lines: str):
    cmd = "tail -n %s /var/log/{t}.log" % lines
    return subprocess.check_output(cmd, shell=True)
"#,
        safe: r#"import subprocess
from fastapi import FastAPI

app = FastAPI()


@app.get("/tail")
def tail(lines: str):
    cmd = "tail -n %s /var/log/{t}.log" % int(lines)
    return subprocess.check_output(cmd, shell=True)
"#,
    },
    // =============================================================== path
    Template {
        category: "path-traversal",
        framework: "Spring MVC",
        ext: "java",
        expect: "block",
        twin: "canonicalise + prefix check",
        vulnerable: r#"@RestController
public class {C}Files {
    private static final Path BASE = Paths.get("/srv/statements");

    @GetMapping("/statements")
    public byte[] get(@RequestParam String file) throws IOException {
        Path p = BASE.resolve(file).normalize();
        return Files.readAllBytes(p);
    }
}
"#,
        safe: r#"@RestController
public class {C}Files {
    private static final Path BASE = Paths.get("/srv/statements");

    @GetMapping("/statements")
    public byte[] get(@RequestParam String file) throws IOException {
        Path p = BASE.resolve(file).normalize();
        if (!p.startsWith(BASE)) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN);
        }
        return Files.readAllBytes(p);
    }
}
"#,
    },
    Template {
        category: "path-traversal",
        framework: "Servlet",
        ext: "java",
        expect: "block",
        twin: "file name only",
        vulnerable: r#"public class {C}Download extends HttpServlet {
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String name = req.getParameter("file");
        File f = new File("/srv/{t}", name);
        Files.copy(f.toPath(), resp.getOutputStream());
    }
}
"#,
        safe: r#"public class {C}Download extends HttpServlet {
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String name = Paths.get(req.getParameter("file")).getFileName().toString();
        File f = new File("/srv/{t}", name);
        Files.copy(f.toPath(), resp.getOutputStream());
    }
}
"#,
    },
    Template {
        category: "path-traversal",
        framework: "Flask",
        ext: "py",
        expect: "block",
        twin: "secure_filename",
        vulnerable: r#"import os
from flask import request, send_file
from werkzeug.utils import secure_filename

UPLOADS = "/srv/uploads"


@app.route("/download")
def download():
    name = request.args["name"]
    return send_file(os.path.join(UPLOADS, name))
"#,
        safe: r#"import os
from flask import request, send_file
from werkzeug.utils import secure_filename

UPLOADS = "/srv/uploads"


@app.route("/download")
def download():
    name = secure_filename(request.args["name"])
    return send_file(os.path.join(UPLOADS, name))
"#,
    },
    Template {
        category: "path-traversal",
        framework: "Django",
        ext: "py",
        expect: "block",
        twin: "realpath + prefix check",
        vulnerable: r#"import os
from django.http import FileResponse, Http404

ROOT = "/srv/{t}"


def statement(request):
    path = os.path.realpath(os.path.join(ROOT, request.GET["f"]))
    return FileResponse(open(path, "rb"))
"#,
        safe: r#"import os
from django.http import FileResponse, Http404

ROOT = "/srv/{t}"


def statement(request):
    path = os.path.realpath(os.path.join(ROOT, request.GET["f"]))
    if not path.startswith(ROOT + os.sep):
        raise Http404()
    return FileResponse(open(path, "rb"))
"#,
    },
    Template {
        category: "path-traversal",
        framework: "FastAPI",
        ext: "py",
        expect: "block",
        twin: "basename",
        vulnerable: r#"import os
from fastapi import FastAPI

app = FastAPI()


@app.get("/logs/{{p}}")
def read_log({p}: str):
    with open("/var/log/app/" + {p}) as fh:
        return fh.read()
"#,
        safe: r#"import os
from fastapi import FastAPI

app = FastAPI()


@app.get("/logs/{{p}}")
def read_log({p}: str):
    with open("/var/log/app/" + os.path.basename({p})) as fh:
        return fh.read()
"#,
    },
    Template {
        category: "path-traversal",
        framework: "Servlet (multipart)",
        ext: "java",
        expect: "block",
        twin: "only the text after the last '/' (not '\\')",
        vulnerable: r#"public class {C}Upload extends HttpServlet {
    private static final File UPLOADS = new File("/srv/uploads");

    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        Part part = request.getPart("file");
        String filename = part.getSubmittedFileName();
        if (filename.lastIndexOf('\\') >= 0) {
            filename = filename.substring(filename.lastIndexOf('\\') + 1);
        }
        Files.copy(part.getInputStream(), new File(UPLOADS, filename).toPath());
    }
}
"#,
        safe: r#"public class {C}Upload extends HttpServlet {
    private static final File UPLOADS = new File("/srv/uploads");

    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        Part part = request.getPart("file");
        String filename = part.getSubmittedFileName();
        if (filename.lastIndexOf('/') >= 0) {
            filename = filename.substring(filename.lastIndexOf('/') + 1);
        }
        Files.copy(part.getInputStream(), new File(UPLOADS, filename).toPath());
    }
}
"#,
    },
    // =============================================================== eval
    Template {
        category: "eval-injection",
        framework: "Flask",
        ext: "py",
        expect: "block",
        twin: "ast.literal_eval",
        vulnerable: r#"import ast
from flask import request


@app.post("/calc")
def calc():
    expr = request.form["expr"]
    return str(eval(expr))
"#,
        safe: r#"import ast
from flask import request


@app.post("/calc")
def calc():
    expr = request.form["expr"]
    return str(ast.literal_eval(expr))
"#,
    },
    Template {
        category: "eval-injection",
        framework: "Django",
        ext: "py",
        expect: "block",
        twin: "dead branch",
        vulnerable: r#"DEBUG_SHELL = True


def console(request):
    code = request.POST["code"]
    if DEBUG_SHELL:
        exec(code)
    return HttpResponse("done")
"#,
        safe: r#"DEBUG_SHELL = False


def console(request):
    code = request.POST["code"]
    if DEBUG_SHELL:
        exec(code)
    return HttpResponse("done")
"#,
    },
    Template {
        category: "eval-injection",
        framework: "Spring MVC (SpEL)",
        ext: "java",
        expect: "block",
        twin: "constant expression",
        vulnerable: r#"@RestController
public class {C}Fees {
    private final ExpressionParser parser = new SpelExpressionParser();

    @GetMapping("/fee")
    public Object fee(@RequestParam String formula) {
        Expression e = parser.parseExpression(formula);
        return e.getValue();
    }
}
"#,
        safe: r#"@RestController
public class {C}Fees {
    private final ExpressionParser parser = new SpelExpressionParser();
    private static final String FORMULA = "amount * 0.015";

    @GetMapping("/fee")
    public Object fee(@RequestParam String formula) {
        Expression e = parser.parseExpression(FORMULA);
        return e.getValue();
    }
}
"#,
    },
    Template {
        category: "eval-injection",
        framework: "Servlet (ScriptEngine)",
        ext: "java",
        expect: "block",
        twin: "allow-list guard",
        vulnerable: r#"public class {C}Rules extends HttpServlet {
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String rule = request.getParameter("rule");
        ScriptEngine engine = new ScriptEngineManager().getEngineByName("js");
        response.getWriter().print(engine.eval(rule));
    }
}
"#,
        safe: r#"public class {C}Rules extends HttpServlet {
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String rule = request.getParameter("rule");
        if (!KNOWN_RULES.containsKey(rule)) {
            response.sendError(400);
            return;
        }
        ScriptEngine engine = new ScriptEngineManager().getEngineByName("js");
        response.getWriter().print(engine.eval(rule));
    }
}
"#,
    },
    // ====================================================== deserialization
    Template {
        category: "insecure-deserialization",
        framework: "Flask",
        ext: "py",
        expect: "block",
        twin: "safe loader",
        vulnerable: r#"import yaml
from flask import request


@app.post("/import")
def import_rules():
    rules = yaml.load(request.data)
    return {"n": len(rules)}
"#,
        safe: r#"import yaml
from flask import request


@app.post("/import")
def import_rules():
    rules = yaml.load(request.data, Loader=yaml.SafeLoader)
    return {"n": len(rules)}
"#,
    },
    Template {
        category: "insecure-deserialization",
        framework: "Django",
        ext: "py",
        expect: "block",
        twin: "json instead of pickle on the same input",
        vulnerable: r#"import json
import pickle


def restore(request):
    state = pickle.loads(request.body)
    return JsonResponse(state)
"#,
        safe: r#"import json
import pickle


def restore(request):
    state = json.loads(request.body)
    return JsonResponse(state)
"#,
    },
    Template {
        category: "insecure-deserialization",
        framework: "Servlet",
        ext: "java",
        expect: "block",
        twin: "ObjectInputFilter allow-list",
        vulnerable: r#"public class {C}Import extends HttpServlet {
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try (ObjectInputStream in = new ObjectInputStream(req.getInputStream())) {
            {C} item = ({C}) in.readObject();
            save(item);
        } catch (ClassNotFoundException e) {
            resp.sendError(400);
        }
    }
}
"#,
        safe: r#"public class {C}Import extends HttpServlet {
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try (ObjectInputStream in = new ObjectInputStream(req.getInputStream())) {
            in.setObjectInputFilter(ObjectInputFilter.Config.createFilter("com.bank.{C};!*"));
            {C} item = ({C}) in.readObject();
            save(item);
        } catch (ClassNotFoundException e) {
            resp.sendError(400);
        }
    }
}
"#,
    },
    Template {
        category: "insecure-deserialization",
        framework: "JDK serialization",
        ext: "java",
        expect: "block",
        twin: "round trip of an object serialised in the same method",
        vulnerable: r#"public class {C}Copier {
    public Object copy(Object item, byte[] payload) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        buffer.write(payload);
        ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(buffer.toByteArray()));
        return in.readObject();
    }
}
"#,
        safe: r#"public class {C}Copier {
    public Object copy(Object item, byte[] payload) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        new ObjectOutputStream(buffer).writeObject(item);
        ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(buffer.toByteArray()));
        return in.readObject();
    }
}
"#,
    },
    Template {
        category: "insecure-deserialization",
        framework: "JDK serialization",
        ext: "java",
        expect: "block",
        twin: "a resource shipped with the program",
        vulnerable: r#"public class {C}Fixtures {
    protected Object load(String fixture) throws Exception {
        InputStream is = new FileInputStream(fixture);
        ObjectInputStream ois = new ObjectInputStream(is);
        return ois.readObject();
    }
}
"#,
        safe: r#"public class {C}Fixtures {
    protected Object load(String fixture) throws Exception {
        InputStream is = getClass().getResourceAsStream("/fixtures/{p}.ser");
        ObjectInputStream ois = new ObjectInputStream(is);
        return ois.readObject();
    }
}
"#,
    },
    // =============================================================== SSRF
    Template {
        category: "ssrf",
        framework: "Flask",
        ext: "py",
        expect: "block",
        twin: "URL chosen from a constant table",
        vulnerable: r#"import requests
from flask import request

WEBHOOKS = {"ledger": "https://ledger.internal/hook", "audit": "https://audit.internal/hook"}


@app.post("/notify")
def notify():
    target = request.json["target"]
    requests.post(target, json={"event": "{p}"}, timeout=5)
    return "ok"
"#,
        safe: r#"import requests
from flask import request

WEBHOOKS = {"ledger": "https://ledger.internal/hook", "audit": "https://audit.internal/hook"}


@app.post("/notify")
def notify():
    target = WEBHOOKS[request.json["target"]]
    requests.post(target, json={"event": "{p}"}, timeout=5)
    return "ok"
"#,
    },
    Template {
        category: "ssrf",
        framework: "Spring MVC",
        ext: "java",
        expect: "block",
        twin: "URL from a constant map",
        vulnerable: r#"@RestController
public class {C}Proxy {
    private static final Map<String, String> PARTNERS = Map.of("fx", "https://fx.partner.sg/rates");

    @GetMapping("/proxy")
    public String proxy(@RequestParam String url) {
        return restTemplate.getForObject(url, String.class);
    }
}
"#,
        safe: r#"@RestController
public class {C}Proxy {
    private static final Map<String, String> PARTNERS = Map.of("fx", "https://fx.partner.sg/rates");

    @GetMapping("/proxy")
    public String proxy(@RequestParam String url) {
        return restTemplate.getForObject(PARTNERS.get(url), String.class);
    }
}
"#,
    },
    // ======================================================= open redirect
    Template {
        category: "open-redirect",
        framework: "Django",
        ext: "py",
        expect: "block",
        twin: "url_has_allowed_host_and_scheme",
        vulnerable: r#"from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def after_login(request):
    next_url = request.GET.get("next", "/")
    return redirect(next_url)
"#,
        safe: r#"from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def after_login(request):
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    return redirect(next_url)
"#,
    },
    Template {
        category: "open-redirect",
        framework: "Servlet",
        ext: "java",
        expect: "block",
        twin: "context-relative redirect",
        vulnerable: r#"public class {C}Logout extends HttpServlet {
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        request.getSession().invalidate();
        String target = request.getParameter("returnTo");
        response.sendRedirect(target);
    }
}
"#,
        safe: r#"public class {C}Logout extends HttpServlet {
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        request.getSession().invalidate();
        String target = request.getContextPath() + "/login";
        response.sendRedirect(target);
    }
}
"#,
    },
    Template {
        category: "open-redirect",
        framework: "Servlet",
        ext: "java",
        expect: "block",
        twin: "the request's own URI, the query after a '?'",
        vulnerable: r#"public class {C}SlashRedirect extends HttpServlet {
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        StringBuilder target = new StringBuilder();
        target.append(request.getParameter("from"));
        target.append('/');
        String query = request.getQueryString();
        if (query != null) {
            target.append('?');
            target.append(query);
        }
        response.sendRedirect(target.toString());
    }
}
"#,
        safe: r#"public class {C}SlashRedirect extends HttpServlet {
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        StringBuilder target = new StringBuilder();
        target.append(request.getRequestURI());
        target.append('/');
        String query = request.getQueryString();
        if (query != null) {
            target.append('?');
            target.append(query);
        }
        response.sendRedirect(target.toString());
    }
}
"#,
    },
    Template {
        category: "open-redirect",
        framework: "Servlet",
        ext: "java",
        expect: "block",
        twin: "the query string only after a constant '?'",
        vulnerable: r#"public class {C}Resume extends HttpServlet {
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String target = request.getContextPath() + "/{p}/resume";
        String query = request.getQueryString();
        if (query != null) {
            target = query + "/" + target;
        }
        response.sendRedirect(target);
    }
}
"#,
        safe: r#"public class {C}Resume extends HttpServlet {
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String target = request.getContextPath() + "/{p}/resume";
        String query = request.getQueryString();
        if (query != null) {
            target = target + "?" + query;
        }
        response.sendRedirect(target);
    }
}
"#,
    },
    // ================================================================ LDAP
    Template {
        category: "ldap-injection",
        framework: "Servlet (JNDI)",
        ext: "java",
        expect: "block",
        twin: "filter arguments",
        vulnerable: r#"public class {C}Directory extends HttpServlet {
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String uid = request.getParameter("uid");
        NamingEnumeration<SearchResult> r = ctx.search("ou=people,dc=bank,dc=sg", "(uid=" + uid + ")", controls);
        render(response, r);
    }
}
"#,
        safe: r#"public class {C}Directory extends HttpServlet {
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String uid = request.getParameter("uid");
        NamingEnumeration<SearchResult> r = ctx.search("ou=people,dc=bank,dc=sg", "(uid={0})", new Object[] {uid}, controls);
        render(response, r);
    }
}
"#,
    },
    Template {
        category: "ldap-injection",
        framework: "Flask (ldap3)",
        ext: "py",
        expect: "block",
        twin: "escape_filter_chars",
        vulnerable: r#"from flask import request
from ldap3.utils.conv import escape_filter_chars


@app.route("/staff")
def staff():
    uid = request.args["uid"]
    conn.search("dc=bank,dc=sg", "(uid=" + uid + ")")
    return jsonify(conn.entries)
"#,
        safe: r#"from flask import request
from ldap3.utils.conv import escape_filter_chars


@app.route("/staff")
def staff():
    uid = escape_filter_chars(request.args["uid"])
    conn.search("dc=bank,dc=sg", "(uid=" + uid + ")")
    return jsonify(conn.entries)
"#,
    },
    // =============================================================== XPath
    Template {
        category: "xpath-injection",
        framework: "Servlet",
        ext: "java",
        expect: "block",
        twin: "constant expression with a variable resolver",
        vulnerable: r#"public class {C}Xml extends HttpServlet {
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String user = request.getParameter("user");
        String expr = "//account[@owner='" + user + "']/balance";
        response.getWriter().print(xpath.evaluate(expr, doc));
    }
}
"#,
        safe: r#"public class {C}Xml extends HttpServlet {
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String user = request.getParameter("user");
        resolver.set("owner", user);
        String expr = "//account[@owner=$owner]/balance";
        response.getWriter().print(xpath.evaluate(expr, doc));
    }
}
"#,
    },
    // ========================================================== weak hash
    Template {
        category: "weak-hash",
        framework: "Spring MVC",
        ext: "java",
        expect: "block",
        twin: "SHA-256 for a checksum",
        vulnerable: r#"@Service
public class {C}Credentials {
    public String store(String username, String password) throws Exception {
        MessageDigest md = MessageDigest.getInstance("MD5");
        md.update(password.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(md.digest());
    }
}
"#,
        safe: r#"@Service
public class {C}Credentials {
    public String store(String username, String payload) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(payload.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(md.digest());
    }
}
"#,
    },
    Template {
        category: "weak-hash",
        framework: "Django",
        ext: "py",
        expect: "block",
        twin: "usedforsecurity=False",
        vulnerable: r#"import hashlib


def set_pin(request, user):
    pin = request.POST["pin"]
    user.pin_hash = hashlib.md5(pin.encode()).hexdigest()
    user.save()
"#,
        safe: r#"import hashlib


def set_pin(request, user):
    body = request.body
    user.etag = hashlib.md5(body, usedforsecurity=False).hexdigest()
    user.save()
"#,
    },
    // ======================================================== weak cipher
    Template {
        category: "weak-cipher",
        framework: "Java crypto",
        ext: "java",
        expect: "block",
        twin: "AES/GCM",
        vulnerable: r#"public class {C}Vault {
    private static final String TRANSFORM = "DESede/CBC/PKCS5Padding";

    public byte[] seal(byte[] data, SecretKey key) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance(TRANSFORM);
        c.init(Cipher.ENCRYPT_MODE, key);
        return c.doFinal(data);
    }
}
"#,
        safe: r#"public class {C}Vault {
    private static final String TRANSFORM = "AES/GCM/NoPadding";

    public byte[] seal(byte[] data, SecretKey key) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance(TRANSFORM);
        c.init(Cipher.ENCRYPT_MODE, key);
        return c.doFinal(data);
    }
}
"#,
    },
    Template {
        category: "weak-cipher",
        framework: "Java crypto",
        ext: "java",
        expect: "block",
        twin: "random IV",
        vulnerable: r#"public class {C}Crypto {
    private static final byte[] IV = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    public byte[] encrypt(byte[] data, SecretKey key) throws GeneralSecurityException {
        byte[] iv = IV;
        Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
        c.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
        return c.doFinal(data);
    }
}
"#,
        safe: r#"public class {C}Crypto {
    private static final byte[] IV = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    public byte[] encrypt(byte[] data, SecretKey key) throws GeneralSecurityException {
        byte[] iv = new byte[16];
        secureRandom.nextBytes(iv);
        Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
        c.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
        return c.doFinal(data);
    }
}
"#,
    },
    Template {
        category: "weak-cipher",
        framework: "PyCryptodome",
        ext: "py",
        expect: "block",
        twin: "GCM mode",
        vulnerable: r#"from Crypto.Cipher import AES

MODE = AES.MODE_ECB


def seal_{p}(key, data):
    cipher = AES.new(key, MODE)
    return cipher.encrypt(pad(data, 16))
"#,
        safe: r#"from Crypto.Cipher import AES

MODE = AES.MODE_GCM


def seal_{p}(key, data):
    cipher = AES.new(key, MODE)
    return cipher.encrypt(pad(data, 16))
"#,
    },
    // ===================================================== insecure random
    Template {
        category: "insecure-random",
        framework: "Servlet",
        ext: "java",
        expect: "block",
        twin: "same API for a non-security value",
        vulnerable: r#"public class {C}Login extends HttpServlet {
    private final Random random = new Random();

    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String value = Long.toHexString(new Random().nextLong());
        resp.addCookie(new Cookie("SESSION", value));
    }
}
"#,
        safe: r#"public class {C}Login extends HttpServlet {
    private final Random random = new Random();

    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long delay = new Random().nextInt(250);
        Thread.sleep(delay);
    }
}
"#,
    },
    Template {
        category: "insecure-random",
        framework: "Servlet",
        ext: "java",
        expect: "block",
        twin: "a random index named like an abbreviation",
        vulnerable: r#"public class {C}Sampler {
    private final Random random = new Random();

    public String pick(List<String> statements, HttpServletResponse resp) {
        String sessionId = Long.toHexString(random.nextLong());
        resp.addHeader("X-Session", sessionId);
        return statements.get(0);
    }
}
"#,
        safe: r#"public class {C}Sampler {
    private final Random random = new Random();

    public String pick(List<String> statements, HttpServletResponse resp) {
        int sid = random.nextInt(statements.size());
        return statements.get(sid);
    }
}
"#,
    },
    Template {
        category: "insecure-random",
        framework: "Flask",
        ext: "py",
        expect: "block",
        twin: "same API for jitter",
        vulnerable: r#"import random
import time


@app.post("/otp")
def send_code():
    code = "%06d" % random.randint(0, 999999)
    session["otp"] = code
    sms.send(current_user.phone, code)
    return "sent"
"#,
        safe: r#"import random
import time


@app.post("/otp")
def send_code():
    pause = random.uniform(0.1, 0.5)
    time.sleep(pause)
    sms.send(current_user.phone, "{p}")
    return "sent"
"#,
    },
    Template {
        category: "insecure-random",
        framework: "Django",
        ext: "py",
        expect: "block",
        twin: "secrets module",
        vulnerable: r#"import random
import secrets
import string


def reset_link(request, user):
    value = "".join(random.choices(string.ascii_letters, k=32))
    user.reset_token = value
    user.save()
"#,
        safe: r#"import random
import secrets
import string


def reset_link(request, user):
    value = "".join(secrets.choice(string.ascii_letters) for _ in range(32))
    user.reset_token = value
    user.save()
"#,
    },
];
