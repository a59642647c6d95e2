
using Ghfe.Logging;

namespace Ghfe.Tests.Logging;

/// <summary>Text log lines write no control character raw: none can forge a line or recolour a terminal.</summary>
public class TextLogFormatterTests
{
    private static string Escaped(string text, bool breaksAsSpaces = false)
    {
        using var writer = new StringWriter();
        TextLogFormatter.WriteEscaped(writer, text, breaksAsSpaces);
        return writer.ToString();
    }

    [Fact]
    public void Control_characters_are_escaped()
    {
        Assert.Equal(
            "id\\r\\n2026-12-06T00:00:00.000Z info: forged\\u001b[31m\\t\\u0000\\u007f\\u009b\\u0085\\u2028 ok é 😀",
            Escaped("id\r\n2026-12-06T00:00:00.000Z info: forged\u001b[31m\t\0\u007f\u009b\u0085\u2028 ok é 😀"));
    }

    [Fact]
    public void Text_without_them_is_written_as_it_is() =>
        Assert.Equal("delivery=abc event=workflow_job why=-", Escaped("delivery=abc event=workflow_job why=-"));

    [Fact]
    public void An_exception_keeps_its_stack_on_the_line() =>
        Assert.Equal("boom    at X.Y()     at Z \\u001b", Escaped("boom\n   at X.Y()\r\n   at Z \u001b", breaksAsSpaces: true));
}
