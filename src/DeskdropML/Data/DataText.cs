using System.Text;

namespace DeskdropML.Data;

/// <summary>How a value from a file is quoted in a one-line error message.</summary>
internal static class DataText
{
    /// <summary>
    /// The value shortened to 60 characters, with line breaks, tabs and other control characters written as escapes
    /// (<c>\n</c>, <c>\r</c>, <c>\t</c>, <c>\u0001</c>), so that a message quoting it stays on one line.
    /// </summary>
    public static string Show(string value)
    {
        string s = value.Length <= 60 ? value : value[..57] + "...";
        if (!s.Any(char.IsControl)) return s;
        var sb = new StringBuilder(s.Length + 8);
        foreach (char c in s)
        {
            sb.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }
}
