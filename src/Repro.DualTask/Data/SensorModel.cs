namespace Repro.DualTask;

/// <summary>
/// Fixed sensor and flight-condition tables, loosely fitted to FD001/FD002 levels. Constants, not
/// random draws, so every dataset shares one plant and a seed only changes the engines.
/// </summary>
internal static class SensorModel
{
    public const int MaxRegimes = 6;

    // The six C-MAPSS flight conditions (altitude kft, Mach, throttle resolver angle) and how far
    // each one pulls sensor levels away from sea level.
    public static readonly double[,] RegimeSettings =
    {
        { 0, 0.00, 100 }, { 10, 0.25, 100 }, { 20, 0.70, 100 },
        { 25, 0.62, 60 }, { 35, 0.84, 100 }, { 42, 0.84, 100 },
    };

    static readonly double[] RegimeDepth = [0, 0.06, 0.14, 0.20, 0.17, 0.11];

    // Per sensor s1..s21: sea-level base, change at failure, measurement noise std, regime sensitivity.
    // Zero change marks the sensors that carry no degradation signal in C-MAPSS (s1, s5, s6, s10,
    // s16, s18, s19).
    static readonly double[,] Sensors =
    {
        { 518.67, 0, 0, 0.6 },          // s1
        { 642.15, 1.3, 0.30, 0.9 },     // s2
        { 1584.0, 16, 4.5, 0.8 },       // s3
        { 1398.5, 30, 5.5, 0.9 },       // s4
        { 14.62, 0, 0, 1.0 },           // s5
        { 21.61, 0, 0.002, 1.0 },       // s6
        { 554.6, -2.8, 0.5, 1.0 },      // s7
        { 2388.04, 0.22, 0.05, 0.4 },   // s8
        { 9050.0, 30, 8.0, 0.5 },       // s9
        { 1.30, 0, 0, 0.3 },            // s10
        { 47.30, 0.95, 0.17, 0.5 },     // s11
        { 522.3, -2.4, 0.40, 1.0 },     // s12
        { 2388.04, 0.22, 0.05, 0.4 },   // s13
        { 8135.0, 20, 7.0, 0.5 },       // s14
        { 8.41, 0.12, 0.025, 0.2 },     // s15
        { 0.03, 0, 0, 0.0 },            // s16
        { 392.0, 4.5, 1.2, 0.7 },       // s17
        { 2388.0, 0, 0, 0.4 },          // s18
        { 100.0, 0, 0, 0.0 },           // s19
        { 38.95, -0.55, 0.15, 1.0 },    // s20
        { 23.37, -0.33, 0.09, 1.0 },    // s21
    };

    /// <summary>Sensor level in a regime before wear, noise and unit variation.</summary>
    public static double Level(int regime, int sensorIndex) =>
        Sensors[sensorIndex, 0] * (1 - RegimeDepth[regime] * Sensors[sensorIndex, 3]);

    /// <summary>Shift of the sensor between damage 0 and damage 1 (failure) under HPC degradation.</summary>
    public static double ChangeAtFailure(int sensorIndex) => Sensors[sensorIndex, 1];

    // Fan degradation (FD003/FD004's second fault mode), loosely after those sets: the fan speeds
    // (s8, s13) and core speeds (s9, s14) trend the other way, the temperatures and pressures move by
    // less. Factors on the HPC column, so sensors without a signal stay flat.
    static readonly double[] FanFactor = [1, 0.6, 0.6, 0.6, 1, 1, 0.6, -1, -1, 1, 0.6, 0.6, -1, -1, 0.8, 1, 0.6, 1, 1, 0.6, 0.6];

    /// <summary>Shift at failure under HPC (<paramref name="fan"/> false) or fan degradation.</summary>
    public static double ChangeAtFailure(int sensorIndex, bool fan) => fan ? Sensors[sensorIndex, 1] * FanFactor[sensorIndex] : Sensors[sensorIndex, 1];

    public static double NoiseStd(int sensorIndex) => Sensors[sensorIndex, 2];

    /// <summary>s17 (bleed enthalpy) is recorded as whole numbers in C-MAPSS.</summary>
    public static bool IsInteger(int sensorIndex) => sensorIndex == 16;
}
