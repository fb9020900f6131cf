module example.com/gomodfn

go 1.22

require github.com/aws/aws-lambda-go v1.47.0

require (
	golang.org/x/text v0.3.0 // indirect
	golang.org/x/net v0.0.0-20220127200216-cd36cc0744dd // indirect
)

replace golang.org/x/net => golang.org/x/net v0.47.0
