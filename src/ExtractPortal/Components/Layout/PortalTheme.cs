using MudBlazor;

namespace ExtractPortal.Components.Layout;

public static class PortalTheme
{
    // Darker primary/secondary shades than the defaults, for WCAG AA contrast on white.
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1a4f8b",
            Secondary = "#5a4a8a",
            Info = "#0b5e8e",
            Success = "#1b6e20",
            Error = "#b00020",
            Warning = "#8a4b00",
            AppbarBackground = "#1a4f8b",
            TextSecondary = "rgba(0,0,0,0.70)",
            ActionDefault = "rgba(0,0,0,0.70)",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica", "Arial", "sans-serif"] },
        },
    };
}
