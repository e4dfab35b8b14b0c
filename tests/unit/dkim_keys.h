/* DKIM public keys made with openssl genpkey for the tests (t_dkim, t_analyze_dkim). */
#ifndef T_DKIM_KEYS_H
#define T_DKIM_KEYS_H

#define RSA512	"MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAMgIuZvDEqrVuWI3zo/ZzZUsUZB+" \
	"2OE/6QQTIb9LOV9dZhNLacEPFaDL00qZ81SNNQM4fmJb4/wH1hfCHtBHC5MCAwEAAQ=="
#define RSA512_PKCS1 "MEgCQQDICLmbwxKq1bliN86P2c2VLFGQftjhP+kEEyG/SzlfXWYTS2n" \
	"BDxWgy9NKmfNUjTUDOH5iW+P8B9YXwh7QRwuTAgMBAAE="
#define RSA2048	"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA9jkkdXXPGlkuj1rV" \
	"Q2Ueh3GWwKP85huxn8PmpSMSrty9QcRK6YX2h95urYulJwWjpfImdvCUvJL0NUff3yr" \
	"tbBLPATw/lgJoBRvuHQ0rEEOVERM36PrA7TmPLSIb8tlmCN9ZdCzqGCw8Jr5Uxv/ake" \
	"5kfz8IbGZSgnGUhWix2rho8xzOTUeZ9JuBF+IdReJF81ixOwEmj+w4qRgoDaz0cYbl7" \
	"boDW9f/KN3wjYEDJwKaV2vUPiA3HlftGJSTgI2RLAXw4Tmka4zpoqF/SRuNSf+rX9lF" \
	"EjUHcVj6yoyrXYs1JHBlfl6nQAUA5mYYhqdcOpmx0j1aKbyx6RE0sX+JWwIDAQAB"
#define ED_RAW	"11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
#define ED_SPKI	"MCowBQYDK2VwAyEAI1WY9qbXqt4IlcJWAI+rh2jRIpI9lRTcxznuzWoTS7Q="

#endif
