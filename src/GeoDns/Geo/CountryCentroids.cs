using System.Collections.Frozen;
using System.Globalization;

namespace GeoDns.Geo;

/// <summary>
/// One point and the continent for each ISO 3166-1 country and territory (plus XK, Kosovo, which
/// registries use), for databases that name only the country. The point stands for every client of
/// the country, so it is the approximate geographic centre, except where most people live far from
/// it: for US, CA, MX, BR, AR, RU, CN, ID and AU it is moved to roughly the population centre, so that
/// e.g. Moscow is not routed as if it were in Siberia. Continents follow the GeoIP2 convention
/// (RU and CY in EU; TR, GE, AM, AZ, KZ in AS; EG in AF; PA in NA). Our own data; ±1–2° is plenty.
/// </summary>
internal static class CountryCentroids
{
    private static readonly FrozenDictionary<string, (double Latitude, double Longitude, string Continent)> Table = Parse(Rows);

    public static int Count => Table.Count;

    public static IEnumerable<string> Codes => Table.Keys;

    /// <summary>Null for a code not in the table; <paramref name="countryCode"/> must be upper case.</summary>
    public static (double Latitude, double Longitude, string Continent)? Find(string countryCode) =>
        Table.TryGetValue(countryCode, out var entry) ? entry : null;

    private static FrozenDictionary<string, (double, double, string)> Parse(string rows)
    {
        string[] continents = ["AF", "AN", "AS", "EU", "NA", "OC", "SA"];
        var table = new Dictionary<string, (double, double, string)>();
        foreach (var row in rows.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var field = row.Split(' ', 5, StringSplitOptions.RemoveEmptyEntries);
            // One shared instance per continent rather than a substring per country.
            var continent = continents.Single(c => c == field[3]);
            table.Add(field[0], (double.Parse(field[1], CultureInfo.InvariantCulture), double.Parse(field[2], CultureInfo.InvariantCulture), continent));
        }
        return table.ToFrozenDictionary();
    }

    // code latitude longitude continent name
    private const string Rows = """
        AD 42.5 1.6 EU Andorra
        AE 23.9 54.3 AS United Arab Emirates
        AF 33.9 67.7 AS Afghanistan
        AG 17.1 -61.8 NA Antigua and Barbuda
        AI 18.2 -63.1 NA Anguilla
        AL 41.1 20.0 EU Albania
        AM 40.1 45.0 AS Armenia
        AO -12.3 17.5 AF Angola
        AQ -75.3 0.0 AN Antarctica
        AR -34.0 -61.0 SA Argentina (population)
        AS -14.3 -170.7 OC American Samoa
        AT 47.5 14.6 EU Austria
        AU -32.0 146.0 OC Australia (population)
        AW 12.5 -70.0 NA Aruba
        AX 60.2 20.0 EU Åland Islands
        AZ 40.1 47.6 AS Azerbaijan
        BA 43.9 17.7 EU Bosnia and Herzegovina
        BB 13.2 -59.5 NA Barbados
        BD 23.7 90.4 AS Bangladesh
        BE 50.5 4.5 EU Belgium
        BF 12.2 -1.6 AF Burkina Faso
        BG 42.7 25.5 EU Bulgaria
        BH 26.0 50.6 AS Bahrain
        BI -3.4 29.9 AF Burundi
        BJ 9.3 2.3 AF Benin
        BL 17.9 -62.8 NA Saint Barthélemy
        BM 32.3 -64.8 NA Bermuda
        BN 4.5 114.7 AS Brunei
        BO -16.3 -63.6 SA Bolivia
        BQ 12.2 -68.3 NA Bonaire, Sint Eustatius and Saba
        BR -18.0 -45.0 SA Brazil (population)
        BS 24.3 -76.6 NA Bahamas
        BT 27.5 90.4 AS Bhutan
        BV -54.4 3.4 AN Bouvet Island
        BW -22.3 24.7 AF Botswana
        BY 53.7 28.0 EU Belarus
        BZ 17.2 -88.5 NA Belize
        CA 47.5 -84.0 NA Canada (population)
        CC -12.2 96.9 AS Cocos (Keeling) Islands
        CD -4.0 21.8 AF Congo (Democratic Republic)
        CF 6.6 20.9 AF Central African Republic
        CG -0.2 15.8 AF Congo
        CH 46.8 8.2 EU Switzerland
        CI 7.5 -5.5 AF Côte d'Ivoire
        CK -21.2 -159.8 OC Cook Islands
        CL -35.7 -71.5 SA Chile
        CM 7.4 12.4 AF Cameroon
        CN 32.0 113.0 AS China (population)
        CO 4.6 -74.3 SA Colombia
        CR 9.7 -83.8 NA Costa Rica
        CU 21.5 -77.8 NA Cuba
        CV 16.0 -24.0 AF Cabo Verde
        CW 12.2 -69.0 NA Curaçao
        CX -10.4 105.7 OC Christmas Island
        CY 35.1 33.4 EU Cyprus
        CZ 49.8 15.5 EU Czechia
        DE 51.2 10.5 EU Germany
        DJ 11.8 42.6 AF Djibouti
        DK 56.3 9.5 EU Denmark
        DM 15.4 -61.4 NA Dominica
        DO 18.7 -70.2 NA Dominican Republic
        DZ 28.0 1.7 AF Algeria
        EC -1.8 -78.2 SA Ecuador
        EE 58.6 25.0 EU Estonia
        EG 26.8 30.8 AF Egypt
        EH 24.2 -12.9 AF Western Sahara
        ER 15.2 39.8 AF Eritrea
        ES 40.5 -3.7 EU Spain
        ET 9.1 40.5 AF Ethiopia
        FI 64.0 26.0 EU Finland
        FJ -17.7 178.1 OC Fiji
        FK -51.8 -59.5 SA Falkland Islands
        FM 7.4 150.6 OC Micronesia
        FO 61.9 -6.9 EU Faroe Islands
        FR 46.2 2.2 EU France
        GA -0.8 11.6 AF Gabon
        GB 54.0 -2.5 EU United Kingdom
        GD 12.1 -61.7 NA Grenada
        GE 42.3 43.4 AS Georgia
        GF 3.9 -53.1 SA French Guiana
        GG 49.5 -2.6 EU Guernsey
        GH 7.9 -1.0 AF Ghana
        GI 36.1 -5.3 EU Gibraltar
        GL 71.7 -42.6 NA Greenland
        GM 13.4 -15.3 AF Gambia
        GN 9.9 -9.7 AF Guinea
        GP 16.3 -61.6 NA Guadeloupe
        GQ 1.7 10.3 AF Equatorial Guinea
        GR 39.1 21.8 EU Greece
        GS -54.4 -36.6 AN South Georgia and the South Sandwich Islands
        GT 15.8 -90.2 NA Guatemala
        GU 13.4 144.8 OC Guam
        GW 11.8 -15.2 AF Guinea-Bissau
        GY 4.9 -58.9 SA Guyana
        HK 22.4 114.1 AS Hong Kong
        HM -53.1 73.5 AN Heard Island and McDonald Islands
        HN 15.2 -86.2 NA Honduras
        HR 45.1 15.2 EU Croatia
        HT 19.0 -72.3 NA Haiti
        HU 47.2 19.5 EU Hungary
        ID -5.0 110.0 AS Indonesia (population)
        IE 53.4 -8.2 EU Ireland
        IL 31.0 34.9 AS Israel
        IM 54.2 -4.5 EU Isle of Man
        IN 22.0 79.0 AS India
        IO -6.3 71.9 AS British Indian Ocean Territory
        IQ 33.2 43.7 AS Iraq
        IR 32.4 53.7 AS Iran
        IS 64.9 -19.0 EU Iceland
        IT 42.8 12.6 EU Italy
        JE 49.2 -2.1 EU Jersey
        JM 18.1 -77.3 NA Jamaica
        JO 31.0 36.3 AS Jordan
        JP 36.2 138.3 AS Japan
        KE 0.0 37.9 AF Kenya
        KG 41.2 74.8 AS Kyrgyzstan
        KH 12.6 105.0 AS Cambodia
        KI 1.4 173.0 OC Kiribati
        KM -11.9 43.9 AF Comoros
        KN 17.3 -62.7 NA Saint Kitts and Nevis
        KP 40.3 127.5 AS North Korea
        KR 35.9 127.8 AS South Korea
        KW 29.3 47.5 AS Kuwait
        KY 19.3 -81.3 NA Cayman Islands
        KZ 48.0 66.9 AS Kazakhstan
        LA 19.9 102.5 AS Laos
        LB 33.9 35.9 AS Lebanon
        LC 13.9 -61.0 NA Saint Lucia
        LI 47.2 9.6 EU Liechtenstein
        LK 7.9 80.8 AS Sri Lanka
        LR 6.4 -9.4 AF Liberia
        LS -29.6 28.2 AF Lesotho
        LT 55.2 23.9 EU Lithuania
        LU 49.8 6.1 EU Luxembourg
        LV 56.9 24.6 EU Latvia
        LY 26.3 17.2 AF Libya
        MA 31.8 -7.1 AF Morocco
        MC 43.7 7.4 EU Monaco
        MD 47.4 28.4 EU Moldova
        ME 42.7 19.4 EU Montenegro
        MF 18.1 -63.1 NA Saint Martin
        MG -18.8 46.9 AF Madagascar
        MH 7.1 171.2 OC Marshall Islands
        MK 41.6 21.7 EU North Macedonia
        ML 17.6 -4.0 AF Mali
        MM 21.9 96.0 AS Myanmar
        MN 46.9 103.8 AS Mongolia
        MO 22.2 113.5 AS Macao
        MP 15.1 145.7 OC Northern Mariana Islands
        MQ 14.6 -61.0 NA Martinique
        MR 21.0 -10.9 AF Mauritania
        MS 16.7 -62.2 NA Montserrat
        MT 35.9 14.4 EU Malta
        MU -20.3 57.6 AF Mauritius
        MV 3.2 73.2 AS Maldives
        MW -13.3 34.3 AF Malawi
        MX 20.5 -100.5 NA Mexico (population)
        MY 4.2 102.0 AS Malaysia
        MZ -18.7 35.5 AF Mozambique
        NA -22.9 18.5 AF Namibia
        NC -20.9 165.6 OC New Caledonia
        NE 17.6 8.1 AF Niger
        NF -29.0 168.0 OC Norfolk Island
        NG 9.1 8.7 AF Nigeria
        NI 12.9 -85.2 NA Nicaragua
        NL 52.1 5.3 EU Netherlands
        NO 62.0 10.0 EU Norway
        NP 28.4 84.1 AS Nepal
        NR -0.5 166.9 OC Nauru
        NU -19.1 -169.9 OC Niue
        NZ -40.9 174.9 OC New Zealand
        OM 21.5 55.9 AS Oman
        PA 8.5 -80.8 NA Panama
        PE -9.2 -75.0 SA Peru
        PF -17.7 -149.4 OC French Polynesia
        PG -6.3 143.9 OC Papua New Guinea
        PH 12.9 121.8 AS Philippines
        PK 30.4 69.3 AS Pakistan
        PL 51.9 19.1 EU Poland
        PM 46.9 -56.3 NA Saint Pierre and Miquelon
        PN -24.7 -127.4 OC Pitcairn
        PR 18.2 -66.6 NA Puerto Rico
        PS 31.9 35.2 AS Palestine
        PT 39.4 -8.2 EU Portugal
        PW 7.5 134.6 OC Palau
        PY -23.4 -58.4 SA Paraguay
        QA 25.4 51.2 AS Qatar
        RE -21.1 55.5 AF Réunion
        RO 45.9 25.0 EU Romania
        RS 44.0 21.0 EU Serbia
        RU 55.0 48.0 EU Russia (population)
        RW -1.9 29.9 AF Rwanda
        SA 23.9 45.1 AS Saudi Arabia
        SB -9.6 160.2 OC Solomon Islands
        SC -4.7 55.5 AF Seychelles
        SD 15.5 30.0 AF Sudan
        SE 62.0 15.0 EU Sweden
        SG 1.35 103.8 AS Singapore
        SH -16.0 -5.7 AF Saint Helena, Ascension and Tristan da Cunha
        SI 46.2 15.0 EU Slovenia
        SJ 77.6 23.7 EU Svalbard and Jan Mayen
        SK 48.7 19.7 EU Slovakia
        SL 8.5 -11.8 AF Sierra Leone
        SM 43.9 12.5 EU San Marino
        SN 14.5 -14.5 AF Senegal
        SO 5.2 46.2 AF Somalia
        SR 3.9 -56.0 SA Suriname
        SS 7.0 30.0 AF South Sudan
        ST 0.2 6.6 AF São Tomé and Príncipe
        SV 13.8 -88.9 NA El Salvador
        SX 18.0 -63.1 NA Sint Maarten
        SY 34.8 39.0 AS Syria
        SZ -26.5 31.5 AF Eswatini
        TC 21.7 -71.8 NA Turks and Caicos Islands
        TD 15.5 18.7 AF Chad
        TF -49.3 69.3 AN French Southern Territories
        TG 8.6 0.8 AF Togo
        TH 15.9 101.0 AS Thailand
        TJ 38.9 71.3 AS Tajikistan
        TK -9.2 -171.8 OC Tokelau
        TL -8.9 125.7 OC Timor-Leste
        TM 39.0 59.6 AS Turkmenistan
        TN 33.9 9.5 AF Tunisia
        TO -21.2 -175.2 OC Tonga
        TR 39.0 35.2 AS Türkiye
        TT 10.7 -61.2 NA Trinidad and Tobago
        TV -8.5 179.2 OC Tuvalu
        TW 23.7 121.0 AS Taiwan
        TZ -6.4 34.9 AF Tanzania
        UA 48.4 31.2 EU Ukraine
        UG 1.4 32.3 AF Uganda
        UM 19.3 166.6 OC United States Minor Outlying Islands
        US 37.4 -92.7 NA United States (population)
        UY -32.5 -55.8 SA Uruguay
        UZ 41.4 64.6 AS Uzbekistan
        VA 41.9 12.45 EU Holy See
        VC 13.0 -61.3 NA Saint Vincent and the Grenadines
        VE 6.4 -66.6 SA Venezuela
        VG 18.4 -64.6 NA Virgin Islands (British)
        VI 18.3 -64.9 NA Virgin Islands (U.S.)
        VN 14.1 108.3 AS Viet Nam
        VU -15.4 167.0 OC Vanuatu
        WF -13.8 -177.2 OC Wallis and Futuna
        WS -13.8 -172.1 OC Samoa
        XK 42.6 20.9 EU Kosovo
        YE 15.6 48.5 AS Yemen
        YT -12.8 45.2 AF Mayotte
        ZA -30.6 22.9 AF South Africa
        ZM -13.1 27.8 AF Zambia
        ZW -19.0 29.2 AF Zimbabwe
        """;
}
