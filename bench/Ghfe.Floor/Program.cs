using System.IO.Pipelines;

// The floor under ghfe's HTTP side: Kestrel with one endpoint that reads the whole body and
// answers 200, nothing else (no signature, no parse, no database, no log, no metrics). The
// benchmark drives it with the same load generator, so the CPU it takes per request is what
// any ASP.NET Core service on this machine pays before doing its own work.
// Usage: Ghfe.Floor --urls http://127.0.0.1:PORT
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [.. args, "--hostBuilder:reloadConfigOnChange=false"] });
builder.Logging.ClearProviders();
var app = builder.Build();
app.MapPost("/", async (HttpRequest request) =>
{
    var reader = request.BodyReader;
    while (true)
    {
        var read = await reader.ReadAsync();
        reader.AdvanceTo(read.Buffer.End);
        if (read.IsCompleted)
        {
            break;
        }
    }

    return Results.Text("ok");
});
app.Run();
