module github.com/acme/${{ values.name }}

go 1.23
