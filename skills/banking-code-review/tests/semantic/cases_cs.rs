//! C# idioms: ASP.NET Core MVC controllers and minimal APIs with ADO.NET
//! (SqlCommand), Dapper and Entity Framework Core, System.Diagnostics.
//! Process, System.IO, HttpClient, Json.NET, BinaryFormatter,
//! System.Security.Cryptography and System.Random. Every safe twin keeps
//! the vulnerable case's sink line; what differs is a bound parameter,
//! `int.Parse`/`TryParse`, `Path.GetFileName`, `Url.IsLocalUrl`, a
//! constant or a dead branch a few lines away.

use super::Template;

pub const TEMPLATES: &[Template] = &[
    Template {
        category: "sql-injection",
        framework: "ASP.NET Core+ADO.NET",
        ext: "cs",
        expect: "block",
        twin: "@parameter with AddWithValue",
        vulnerable: r#"using Microsoft.AspNetCore.Mvc;
using Microsoft.Data.SqlClient;

namespace Bank.Api.Controllers;

[ApiController]
[Route("api/[controller]")]
public class {C}Controller : ControllerBase
{
    private const string Table = "{t}";
    private readonly SqlConnection _conn;

    [HttpGet("search")]
    public IActionResult Search([FromQuery] string {p})
    {
        var sql = $"SELECT Id, {P} FROM {Table} WHERE {P} = '{{p}}'";
        using var cmd = new SqlCommand(sql, _conn);
        return Ok(Read(cmd));
    }
}
"#,
        safe: r#"using Microsoft.AspNetCore.Mvc;
using Microsoft.Data.SqlClient;

namespace Bank.Api.Controllers;

[ApiController]
[Route("api/[controller]")]
public class {C}Controller : ControllerBase
{
    private const string Table = "{t}";
    private readonly SqlConnection _conn;

    [HttpGet("search")]
    public IActionResult Search([FromQuery] string {p})
    {
        var sql = $"SELECT Id, {P} FROM {Table} WHERE {P} = @{p}";
        using var cmd = new SqlCommand(sql, _conn);
        cmd.Parameters.AddWithValue("@{p}", {p});
        return Ok(Read(cmd));
    }
}
"#,
    },
    Template {
        category: "sql-injection",
        framework: "Dapper",
        ext: "cs",
        expect: "block",
        twin: "anonymous parameter object",
        vulnerable: r#"using Dapper;

[ApiController]
public class {C}Controller : ControllerBase
{
    private readonly IDbConnection _connection;

    [HttpGet("/{t}")]
    public IActionResult Get(string {p}) => Ok(Find({p}));

    private IEnumerable<{C}> Find(string {p})
    {
        var sql = "SELECT * FROM {t} WHERE {P} = '" + {p} + "'";
        return _connection.Query<{C}>(sql);
    }
}
"#,
        safe: r#"using Dapper;

[ApiController]
public class {C}Controller : ControllerBase
{
    private readonly IDbConnection _connection;

    [HttpGet("/{t}")]
    public IActionResult Get(string {p}) => Ok(Find({p}));

    private IEnumerable<{C}> Find(string {p})
    {
        var sql = "SELECT * FROM {t} WHERE {P} = @{P}";
        return _connection.Query<{C}>(sql, new { {P} = {p} });
    }
}
"#,
    },
    Template {
        category: "sql-injection",
        framework: "EF Core",
        ext: "cs",
        expect: "block",
        twin: "FromSqlRaw with a {0} parameter",
        vulnerable: r#"using Microsoft.EntityFrameworkCore;

public class {C}Controller : Controller
{
    private readonly BankContext _db;

    [HttpGet]
    public async Task<IActionResult> Index([FromQuery] string {p})
    {
        var rows = await _db.{C}s
            .FromSqlRaw("SELECT * FROM {t} WHERE {P} = '" + {p} + "'")
            .ToListAsync();
        return View(rows);
    }
}
"#,
        safe: r#"using Microsoft.EntityFrameworkCore;

public class {C}Controller : Controller
{
    private readonly BankContext _db;

    [HttpGet]
    public async Task<IActionResult> Index([FromQuery] string {p})
    {
        var rows = await _db.{C}s
            .FromSqlRaw("SELECT * FROM {t} WHERE {P} = {0}", {p})
            .ToListAsync();
        return View(rows);
    }
}
"#,
    },
    Template {
        category: "sql-injection",
        framework: "EF Core",
        ext: "cs",
        expect: "block",
        twin: "int.TryParse before use",
        vulnerable: r#"public class {C}Service
{
    private readonly BankContext _db;

    [HttpPost("/{t}/close")]
    public IActionResult Close()
    {
        var id = Request.Form["id"].ToString();
        if (!int.TryParse(id, out var parsed))
        {
            parsed = 0;
        }
        _db.Database.ExecuteSqlRaw("UPDATE {t} SET Closed = 1 WHERE Id = " + id);
        return NoContent();
    }
}
"#,
        safe: r#"public class {C}Service
{
    private readonly BankContext _db;

    [HttpPost("/{t}/close")]
    public IActionResult Close()
    {
        var raw = Request.Form["id"].ToString();
        if (!int.TryParse(raw, out var id))
        {
            id = 0;
        }
        _db.Database.ExecuteSqlRaw("UPDATE {t} SET Closed = 1 WHERE Id = " + id);
        return NoContent();
    }
}
"#,
    },
    Template {
        category: "sql-injection",
        framework: "ASP.NET minimal API",
        ext: "cs",
        expect: "block",
        twin: "int route parameter",
        vulnerable: r#"var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();

app.MapGet("/{t}/{id}", async (string id, NpgsqlDataSource ds) =>
{
    await using var cmd = ds.CreateCommand("SELECT {p} FROM {t} WHERE id = " + id);
    cmd.CommandText = "SELECT {p} FROM {t} WHERE id = " + id;
    return Results.Ok(await cmd.ExecuteScalarAsync());
});

app.Run();
"#,
        safe: r#"var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();

app.MapGet("/{t}/{id}", async (int id, NpgsqlDataSource ds) =>
{
    await using var cmd = ds.CreateCommand("SELECT {p} FROM {t} WHERE id = " + id);
    cmd.CommandText = "SELECT {p} FROM {t} WHERE id = " + id;
    return Results.Ok(await cmd.ExecuteScalarAsync());
});

app.Run();
"#,
    },
    Template {
        category: "command-injection",
        framework: "ASP.NET Core",
        ext: "cs",
        expect: "block",
        twin: "program started without a shell",
        vulnerable: r#"using System.Diagnostics;

[ApiController]
public class Ops{C}Controller : ControllerBase
{
    private const string Program = "cmd.exe";

    [HttpPost("ops/archive")]
    public IActionResult Archive([FromForm] string {p})
    {
        Process.Start(Program, "/c tar -czf archive.tgz " + {p});
        return Accepted();
    }
}
"#,
        safe: r#"using System.Diagnostics;

[ApiController]
public class Ops{C}Controller : ControllerBase
{
    private const string Program = "tar.exe";

    [HttpPost("ops/archive")]
    public IActionResult Archive([FromForm] string {p})
    {
        Process.Start(Program, "/c tar -czf archive.tgz " + {p});
        return Accepted();
    }
}
"#,
    },
    Template {
        category: "path-traversal",
        framework: "ASP.NET Core",
        ext: "cs",
        expect: "block",
        twin: "Path.GetFileName on the name",
        vulnerable: r#"using System.IO;

public class Statement{C}Controller : ControllerBase
{
    private static readonly string Root = "/srv/{t}";

    [HttpGet("statements/{name}")]
    public IActionResult Download(string name)
    {
        var file = name;
        var bytes = System.IO.File.ReadAllBytes(Path.Combine(Root, file));
        return File(bytes, "application/pdf");
    }
}
"#,
        safe: r#"using System.IO;

public class Statement{C}Controller : ControllerBase
{
    private static readonly string Root = "/srv/{t}";

    [HttpGet("statements/{name}")]
    public IActionResult Download(string name)
    {
        var file = Path.GetFileName(name);
        var bytes = System.IO.File.ReadAllBytes(Path.Combine(Root, file));
        return File(bytes, "application/pdf");
    }
}
"#,
    },
    Template {
        category: "insecure-deserialization",
        framework: "BinaryFormatter",
        ext: "cs",
        expect: "block",
        twin: "formatter only in a dead legacy branch",
        vulnerable: r#"using System.Runtime.Serialization.Formatters.Binary;

public class {C}Cache
{
    private const bool LegacyFormat = true;

    public object Load(Stream s)
    {
        if (LegacyFormat)
        {
            var formatter = new BinaryFormatter();
            return formatter.Deserialize(s);
        }
        return JsonSerializer.Deserialize<{C}>(s);
    }
}
"#,
        safe: r#"using System.Runtime.Serialization.Formatters.Binary;

public class {C}Cache
{
    private const bool LegacyFormat = false;

    public object Load(Stream s)
    {
        if (LegacyFormat)
        {
            var formatter = new BinaryFormatter();
            return formatter.Deserialize(s);
        }
        return JsonSerializer.Deserialize<{C}>(s);
    }
}
"#,
    },
    Template {
        category: "insecure-deserialization",
        framework: "Json.NET",
        ext: "cs",
        expect: "block",
        twin: "TypeNameHandling set only in a dead branch",
        vulnerable: r#"using Newtonsoft.Json;

public class {C}Import
{
    private const bool AcceptLegacyClients = true;

    public {C} Parse(string body)
    {
        var settings = new JsonSerializerSettings();
        if (AcceptLegacyClients)
        {
            settings.TypeNameHandling = TypeNameHandling.Auto;
        }
        return JsonConvert.DeserializeObject<{C}>(body, settings);
    }
}
"#,
        safe: r#"using Newtonsoft.Json;

public class {C}Import
{
    private const bool AcceptLegacyClients = false;

    public {C} Parse(string body)
    {
        var settings = new JsonSerializerSettings();
        if (AcceptLegacyClients)
        {
            settings.TypeNameHandling = TypeNameHandling.Auto;
        }
        return JsonConvert.DeserializeObject<{C}>(body, settings);
    }
}
"#,
    },
    Template {
        category: "weak-hash",
        framework: "System.Security.Cryptography",
        ext: "cs",
        expect: "block",
        twin: "MD5 only in a dead branch",
        vulnerable: r#"using System.Security.Cryptography;
using System.Text;

public static class {C}PasswordHasher
{
    private const bool Md5Compat = true;

    public static string Hash(string password)
    {
        if (Md5Compat)
        {
            return Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(password)));
        }
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(password)));
    }
}
"#,
        safe: r#"using System.Security.Cryptography;
using System.Text;

public static class {C}PasswordHasher
{
    private const bool Md5Compat = false;

    public static string Hash(string password)
    {
        if (Md5Compat)
        {
            return Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(password)));
        }
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(password)));
    }
}
"#,
    },
    Template {
        category: "insecure-random",
        framework: "System.Random",
        ext: "cs",
        expect: "block",
        twin: "random value used for retry jitter",
        vulnerable: r#"public class {C}OtpService
{
    private readonly Random _rng = new Random();

    public string Issue()
    {
        var rng = new Random();
        var otp = rng.Next(0, 1000000).ToString("D6");
        Store(otp);
        return otp;
    }
}
"#,
        safe: r#"public class {C}OtpService
{
    private readonly Random _rng = new Random();

    public string Issue()
    {
        var rng = new Random();
        var delay = rng.Next(0, 1000000).ToString("D6");
        Store(delay);
        return delay;
    }
}
"#,
    },
    Template {
        category: "open-redirect",
        framework: "ASP.NET Core MVC",
        ext: "cs",
        expect: "block",
        twin: "Url.IsLocalUrl check",
        vulnerable: r#"public class Account{C}Controller : Controller
{
    [HttpPost]
    public IActionResult Login(LoginModel model, string returnUrl)
    {
        if (!ModelState.IsValid)
        {
            return View(model);
        }
        return Redirect(returnUrl);
    }
}
"#,
        safe: r#"public class Account{C}Controller : Controller
{
    [HttpPost]
    public IActionResult Login(LoginModel model, string returnUrl)
    {
        if (!Url.IsLocalUrl(returnUrl))
        {
            return View(model);
        }
        return Redirect(returnUrl);
    }
}
"#,
    },
    Template {
        category: "ssrf",
        framework: "HttpClient",
        ext: "cs",
        expect: "block",
        twin: "URL from configuration by key",
        vulnerable: r#"public class Rates{C}Controller : ControllerBase
{
    private readonly HttpClient _httpClient;
    private static readonly Dictionary<string, string> Feeds = new() { ["fx"] = "https://fx.{t}.internal" };

    [HttpGet("rates")]
    public async Task<IActionResult> Get([FromQuery] string {p})
    {
        var url = {p};
        var body = await _httpClient.GetStringAsync(url);
        return Content(body, "application/json");
    }
}
"#,
        safe: r#"public class Rates{C}Controller : ControllerBase
{
    private readonly HttpClient _httpClient;
    private static readonly Dictionary<string, string> Feeds = new() { ["fx"] = "https://fx.{t}.internal" };

    [HttpGet("rates")]
    public async Task<IActionResult> Get([FromQuery] string {p})
    {
        var url = Feeds["fx"];
        var body = await _httpClient.GetStringAsync(url);
        return Content(body, "application/json");
    }
}
"#,
    },
];
