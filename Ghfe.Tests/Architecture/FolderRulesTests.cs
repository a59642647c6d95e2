using System.Reflection;
using System.Reflection.Emit;
using Xunit.Abstractions;

namespace Ghfe.Tests.Architecture;

/// <summary>
/// The folders say what may do I/O, and this holds them to it: no type of the pure core
/// (webhook stages, routing, history planning, page views) touches PostgreSQL, ASP.NET, logging,
/// the clock or the file system — read from the compiled IL, lambdas and iterators included.
/// </summary>
public class FolderRulesTests(ITestOutputHelper output)
{
    private static readonly string[] PureNamespaces = ["Ghfe.Webhook", "Ghfe.Routing", "Ghfe.History", "Ghfe.Pages", "Ghfe.Redelivery"];

    /// <summary>Parsing the templates once at start-up is the pages' only I/O; registering them is wiring.</summary>
    private static readonly string[] Allowed = ["Ghfe.Pages.PageRenderer", "Ghfe.Pages.PagesRegistration"];

    private static readonly string[] ForbiddenAssemblies = ["Npgsql", "Microsoft.AspNetCore", "Microsoft.Extensions.Logging", "Microsoft.Extensions.Hosting"];

    private static readonly string[] ForbiddenMembers =
    [
        "System.DateTime.get_Now", "System.DateTime.get_UtcNow", "System.DateTime.get_Today", "System.DateTimeOffset.get_Now",
        "System.DateTimeOffset.get_UtcNow", "System.TimeProvider.", "System.Diagnostics.Stopwatch.", "System.IO.File.",
        "System.IO.Directory.", "System.IO.FileStream.", "System.Net.Http.", "System.Console.", "System.Environment.GetEnvironmentVariable",
    ];

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(code => code.Value);

    public static TheoryData<string> Namespaces => new(PureNamespaces);

    [Theory]
    [MemberData(nameof(Namespaces))]
    public void The_pure_core_does_no_io(string ns)
    {
        var types = typeof(Program).Assembly.GetTypes()
            .Where(type => type.Namespace == ns && !Allowed.Any(allowed => (type.FullName ?? string.Empty).StartsWith(allowed, StringComparison.Ordinal)))
            .ToList();
        Assert.NotEmpty(types);

        var offences = types.SelectMany(Offences).Distinct().Order(StringComparer.Ordinal).ToList();

        Assert.True(offences.Count == 0, $"{ns} reaches outside the pure core:\n  " + string.Join("\n  ", offences));
    }

    /// <summary>The decisions (webhook stages, routing, history planning, redelivery planning) stand on each other alone: not on the configuration's readers, the store or the edge.</summary>
    [Fact]
    public void The_deciding_core_reaches_only_itself()
    {
        string[] core = ["Ghfe.Webhook", "Ghfe.Routing", "Ghfe.History", "Ghfe.Redelivery"];
        var offences = Reaching(core, ns => ns.StartsWith("Ghfe", StringComparison.Ordinal) && !core.Contains(ns));

        Assert.True(offences.Count == 0, "the deciding core reaches out:\n  " + string.Join("\n  ", offences));
    }

    [Fact]
    public void The_store_does_not_reach_the_pages_or_the_edge()
    {
        var offences = Reaching(["Ghfe.Store"], ns => ns is "Ghfe.Pages" or "Ghfe.Modules");

        Assert.True(offences.Count == 0, "the store reaches up:\n  " + string.Join("\n  ", offences));
    }

    /// <summary>Each use, by a type of <paramref name="from"/>, of a member declared in a namespace <paramref name="forbidden"/> names.</summary>
    private static List<string> Reaching(string[] from, Func<string, bool> forbidden) =>
        typeof(Program).Assembly.GetTypes()
            .Where(type => from.Contains(type.Namespace))
            .SelectMany(type => Members(type).Select(member => (type, member)))
            .Where(use => use.member.DeclaringType?.Namespace is { } ns && forbidden(ns))
            .Select(use => $"{use.type.FullName} uses {use.member.DeclaringType!.FullName}.{use.member.Name}")
            .Distinct()
            .ToList();

    /// <summary>
    /// The folders stand in layers: each namespace reaches only those below it, so none reaches
    /// back through another to itself. Read from the compiled types (their base types, fields,
    /// signatures and the members their IL names). The root namespace, <c>Ghfe</c> (<c>Program</c>
    /// and <c>Cli</c>), is the composition root above every folder and is left out: the edge names
    /// <c>typeof(Program).Assembly</c> only to find the assembly.
    /// </summary>
    [Fact]
    public void The_folder_graph_has_no_cycle()
    {
        var graph = FolderGraph();
        foreach (var (from, to) in graph.OrderBy(pair => pair.Value.Count).ThenBy(pair => pair.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{from} -> {string.Join(", ", to.Keys.Order(StringComparer.Ordinal))}");
        }

        var cycle = FirstCycle(graph.Keys.ToDictionary(ns => ns, ns => (IEnumerable<string>)graph[ns].Keys));

        Assert.True(
            cycle is null,
            "the folders import each other in a circle:\n  " + string.Join("\n  ", (cycle ?? []).Zip((cycle ?? []).Skip(1), (from, to) => $"{from} -> {to}: {graph[from][to]}")));
    }

    [Fact]
    public void The_cycle_check_sees_a_cycle()
    {
        var cycle = FirstCycle(new Dictionary<string, IEnumerable<string>> { ["A"] = ["B"], ["B"] = ["C"], ["C"] = ["A"], ["D"] = ["A"] });

        Assert.Equal(["A", "B", "C", "A"], cycle);
    }

    /// <summary>
    /// The pages build views from values the store has already read: they may name its rows and
    /// filters, never a store type that does I/O. Effectful, precisely: a type of <c>Ghfe.Store</c>
    /// with a field, property or constructor parameter of an Npgsql type, a method that returns a
    /// <see cref="Task"/> or <see cref="ValueTask"/>, or IL that names an Npgsql member.
    /// </summary>
    [Fact]
    public void The_pages_reach_no_effectful_store_type()
    {
        var effectful = typeof(Program).Assembly.GetTypes().Where(type => Folder(type) == "Ghfe.Store" && Effectful(type)).Select(Outermost).ToHashSet();
        Assert.Contains(typeof(Ghfe.Store.JobStore), effectful);
        Assert.DoesNotContain(typeof(Ghfe.Store.DeliveriesFilter), effectful);

        var offences = typeof(Program).Assembly.GetTypes()
            .Where(type => Folder(type) == "Ghfe.Pages")
            .SelectMany(type => Uses(type).Select(used => (type, used)))
            .Where(use => effectful.Contains(Outermost(use.used)))
            .Select(use => $"{use.type.FullName} uses {use.used.FullName}")
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(offences.Count == 0, "the pages reach the store's I/O:\n  " + string.Join("\n  ", offences));
    }

    /// <summary>For each folder namespace, the folders it reaches, each with one use that shows it.</summary>
    private static Dictionary<string, Dictionary<string, string>> FolderGraph()
    {
        var graph = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var type in typeof(Program).Assembly.GetTypes())
        {
            if (Folder(type) is not { } from)
            {
                continue;
            }

            var edges = graph.TryGetValue(from, out var known) ? known : graph[from] = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var used in Uses(type))
            {
                if (Folder(used) is { } to && to != from)
                {
                    edges.TryAdd(to, $"{Outermost(type).FullName} uses {Outermost(used).FullName}");
                }
            }
        }

        return graph;
    }

    /// <summary>The folder namespace (<c>Ghfe.Store</c> for <c>Ghfe.Store.Rows</c>) of one of ghfe's types; null for the root and for other assemblies.</summary>
    private static string? Folder(Type type)
    {
        if (type.Assembly != typeof(Program).Assembly || Outermost(type).Namespace is not { } ns || !ns.StartsWith("Ghfe.", StringComparison.Ordinal))
        {
            return null;
        }

        var dot = ns.IndexOf('.', "Ghfe.".Length);
        return dot < 0 ? ns : ns[..dot];
    }

    private static Type Outermost(Type type)
    {
        while (type.DeclaringType is { } declaring)
        {
            type = declaring;
        }

        return type;
    }

    /// <summary>Every type a type names: its base and interfaces, fields, properties, signatures, and the members its IL uses, type arguments included.</summary>
    private static IEnumerable<Type> Uses(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var named = new List<Type>();
        if (type.BaseType is { } baseType)
        {
            named.Add(baseType);
        }

        named.AddRange(type.GetInterfaces());
        named.AddRange(type.GetFields(all).Select(field => field.FieldType));
        named.AddRange(type.GetProperties(all).Select(property => property.PropertyType));
        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            named.AddRange(method.GetParameters().Select(parameter => parameter.ParameterType));
            if (method is MethodInfo info)
            {
                named.Add(info.ReturnType);
            }

            foreach (var member in Referenced(method))
            {
                switch (member)
                {
                    case Type referenced:
                        named.Add(referenced);
                        break;
                    case FieldInfo field:
                        named.Add(field.DeclaringType!);
                        named.Add(field.FieldType);
                        break;
                    case MethodBase called when called.DeclaringType is { } declaring:
                        named.Add(declaring);
                        named.AddRange(called.IsGenericMethod ? called.GetGenericArguments() : []);
                        break;
                }
            }
        }

        return named.SelectMany(Unwrapped).Distinct();
    }

    /// <summary>A type and what it is built from: element types and type arguments.</summary>
    private static IEnumerable<Type> Unwrapped(Type type)
    {
        if (type.HasElementType)
        {
            return Unwrapped(type.GetElementType()!);
        }

        return type.IsGenericType ? [type, .. type.GetGenericArguments().SelectMany(Unwrapped)] : [type];
    }

    private static bool Effectful(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        static bool Npgsql(Type type) => Unwrapped(type).Any(part => part.Assembly.GetName().Name!.StartsWith("Npgsql", StringComparison.Ordinal));
        static bool Awaited(Type type) => type == typeof(Task) || type == typeof(ValueTask) || (type.IsGenericType && type.GetGenericTypeDefinition() is var definition && (definition == typeof(Task<>) || definition == typeof(ValueTask<>)));
        var methods = type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)).ToList();
        return type.GetFields(all).Any(field => Npgsql(field.FieldType))
            || type.GetProperties(all).Any(property => Npgsql(property.PropertyType))
            || methods.Any(method => method.GetParameters().Any(parameter => Npgsql(parameter.ParameterType)))
            || methods.OfType<MethodInfo>().Any(method => Awaited(method.ReturnType))
            || methods.Any(method => Referenced(method).Any(member => member.DeclaringType is { } declaring && Npgsql(declaring)));
    }

    /// <summary>A path that comes back to where it started (its first name repeated last), or null when there is none.</summary>
    private static List<string>? FirstCycle(Dictionary<string, IEnumerable<string>> graph)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();

        List<string>? Visit(string node)
        {
            if (path.IndexOf(node) is var at and >= 0)
            {
                return [.. path.Skip(at), node];
            }

            if (!done.Add(node))
            {
                return null;
            }

            path.Add(node);
            foreach (var next in (graph.TryGetValue(node, out var edges) ? edges : []).Order(StringComparer.Ordinal))
            {
                if (Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            return null;
        }

        return graph.Keys.Order(StringComparer.Ordinal).Select(Visit).FirstOrDefault(cycle => cycle is not null);
    }

    [Fact]
    public void The_check_sees_a_clock_read()
    {
        // The scanner itself must not be blind: this class reads the clock, and is caught.
        Assert.Contains(Offences(typeof(ReadsTheClock)), offence => offence.Contains("get_UtcNow", StringComparison.Ordinal));
    }

    private static IEnumerable<string> Offences(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var field in type.GetFields(all))
        {
            if (Forbidden(field.FieldType))
            {
                yield return $"{type.FullName}.{field.Name}: a field of type {field.FieldType}";
            }
        }

        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            foreach (var parameter in method.GetParameters().Where(parameter => Forbidden(parameter.ParameterType)))
            {
                yield return $"{type.FullName}.{method.Name}: takes a {parameter.ParameterType}";
            }

            foreach (var member in Referenced(method))
            {
                var name = $"{member.DeclaringType?.FullName}.{member.Name}";
                if ((member.DeclaringType is { } declaring && Forbidden(declaring)) || ForbiddenMembers.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)))
                {
                    yield return $"{type.FullName}.{method.Name}: uses {name}";
                }
            }
        }
    }

    private static IEnumerable<MemberInfo> Members(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        return type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)).SelectMany(Referenced);
    }

    private static bool Forbidden(Type type) =>
        ForbiddenAssemblies.Any(prefix => type.Assembly.GetName().Name!.StartsWith(prefix, StringComparison.Ordinal))
        || (type.IsGenericType && type.GetGenericArguments().Any(Forbidden));

    /// <summary>Every method, constructor and field a method body names, read from its IL.</summary>
    private static IEnumerable<MemberInfo> Referenced(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var at = 0;
        while (at < il.Length)
        {
            short value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
            at += il[at] == 0xFE ? 2 : 1;
            var code = OpCodesByValue[value];
            switch (code.OperandType)
            {
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok or OperandType.InlineType:
                    var token = BitConverter.ToInt32(il, at);
                    MemberInfo? member = null;
                    try
                    {
                        member = method.Module.ResolveMember(token, typeArguments, methodArguments);
                    }
                    catch (ArgumentException)
                    {
                        // A token that needs a generic context this scan does not have: nothing to learn from it.
                    }

                    if (member is not null)
                    {
                        yield return member;
                    }

                    at += 4;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + (4 * BitConverter.ToInt32(il, at));
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    at += 8;
                    break;
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    at += 1;
                    break;
                case OperandType.InlineVar:
                    at += 2;
                    break;
                default:
                    at += 4;
                    break;
            }
        }
    }

    private static class ReadsTheClock
    {
        public static DateTime Now() => DateTime.UtcNow;
    }
}
