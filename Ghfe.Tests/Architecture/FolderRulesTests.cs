using System.Reflection;
using System.Reflection.Emit;

namespace Ghfe.Tests.Architecture;

/// <summary>
/// The folders say what may do I/O, and this holds them to it: no type of the pure core
/// (webhook stages, routing, history planning, page views) touches PostgreSQL, ASP.NET, logging,
/// the clock or the file system — read from the compiled IL, lambdas and iterators included.
/// </summary>
public class FolderRulesTests
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
